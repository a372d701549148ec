"""R13: everything that parses outside input, fuzzed with Hypothesis (bounded, derandomized).

Targets: the server's sync decoder and push (with a real token, so random mutations reach the
merge code), the client's answer decoder and the code that applies pulled changes, offline
bundles on both sides, roster imports (XLSX and CSV), document text extraction (PDF, DOCX,
text), legacy Vietnamese encodings. Inputs are random bytes, valid inputs with bytes flipped,
cut or inserted, and structured inputs with random values in every field.

Pass: no uncaught exception (only the typed errors the app turns into a message), no 5xx,
no input taking more than the deadline, and a rejected pulled page leaves local data as it was.

``strategies`` holds the settings, the input counts and the shared strategies; the server's
targets are in test_r13_fuzzing_server.py, the PC's in test_r13_fuzzing_client.py; the
conftest writes the one R13 result row after both.
"""
