"""The roster files of tests/data/roster, made the way commune offices make them, and the
hostile files the import tests make in a temporary folder.

Nothing here uses the app's own writer. ``members`` holds what the files contain,
``sheets`` the workbooks typed in Excel (openpyxl cell by cell), ``exports`` what other
programs save (LibreOffice, Excel's CSV on Vietnamese Windows, web software's ".xls"),
``hostile`` the zip bombs, huge cells and wide sheets. tests/data/roster/make_files.py
writes the committed files with them.
"""
