"""The province pages' words in English. The Vietnamese text is the key (as gettext's msgid),
so a template reads in Vietnamese as written; ``tests/test_province_pages.py`` checks that
every ``_("…")`` of the templates and every message of ``pages.py`` has its English here.
Downloads (XLSX/PDF reports) stay in Vietnamese: they are official papers."""

from __future__ import annotations

from collections.abc import Callable

EN: dict[str, str] = {
    # the convergence check (R5)
    "{n} chi bộ có dữ liệu trên máy lệch với máy chủ, chưa sửa được":
        "{n} branches whose PC data differs from the server and is not repaired yet",
    "Lần đối chiếu gần nhất thấy dữ liệu trên máy của chi bộ khác với máy chủ, và chưa sửa "
    "được": "The last check found the branch PC's data different from the server's, and it "
             "is not repaired yet",
    "Lệch dữ liệu": "Data differs",
    # frame
    "Sổ tay cấp trên": "Sổ tay for the upper levels",
    "Sổ tay · Trang quản lý của cấp trên": "Sổ tay · Pages of the upper levels",
    "Đăng xuất": "Log out",
    "Cây tổ chức": "Organisation tree",
    "Gửi văn bản": "Send a document",
    "Báo cáo đảng số": "Party numbers report",
    # login and errors
    "Đăng nhập": "Log in",
    "Dành cho cán bộ tỉnh ủy, đảng ủy xã. Mỗi tài khoản chỉ xem được các chi bộ thuộc đơn vị "
    "của mình.": "For province and commune Party committee staff. Each account sees the "
                 "branches of its own unit only.",
    "Tên đăng nhập": "Username",
    "Mật khẩu": "Password",
    "Tên đăng nhập hoặc mật khẩu không đúng.": "Wrong username or password.",
    "Đã nhập sai quá nhiều lần. Hãy đợi một phút rồi thử lại.":
        "Too many wrong attempts. Wait a minute, then try again.",
    "Không thực hiện được": "Could not be done",
    "Quay lại": "Back",
    "Mã lỗi": "Error code",
    "Không có đơn vị này trong phạm vi quản lý của tài khoản. Đơn vị đã bị xoá, hoặc thuộc "
    "địa bàn khác.": "This unit is not within your account's area: it was removed, or it "
                     "belongs to another area.",
    "Biểu mẫu không hợp lệ (không phải do trang này tạo ra trong phiên đăng nhập của bạn). "
    "Không có gì được ghi. Mở lại trang và gửi lại.":
        "The form is not valid (it was not made by this page in your session). Nothing was "
        "saved. Open the page again and resend.",
    "Biểu mẫu đã quá cũ. Không có gì được ghi. Mở lại trang và gửi lại.":
        "The form is too old. Nothing was saved. Open the page again and resend.",
    "Biểu mẫu này đã được gửi một lần; lần gửi thứ hai không được ghi lại.":
        "This form was already sent once; the second sending was not saved.",
    "Phiên đăng nhập đã hết hoặc chưa đăng nhập. Không có gì được ghi. Đăng nhập lại rồi "
    "gửi lại.": "Your session has ended or you are not logged in. Nothing was saved. Log in "
                "again, then resend.",
    "Tháng «{value}» không hợp lệ; dùng dạng 2026-11.":
        "The month «{value}» is not valid; write it as 2026-11.",
    "Không có cuộc họp này (có thể chi bộ đã xoá).":
        "There is no such meeting (the branch may have deleted it).",
    "Tệp quá lớn: giới hạn là {mb} MB. Không có gì được gửi.":
        "The file is too large: the limit is {mb} MB. Nothing was sent.",
    "Chưa chọn tệp văn bản để gửi.": "No file was chosen.",
    "Tệp rỗng, không gửi.": "The file is empty; nothing was sent.",
    "Không có văn bản này trong phạm vi của bạn.": "There is no such document in your area.",
    "Máy chủ thiếu phông chữ tiếng Việt để in PDF; báo quản trị máy chủ "
    "(SOTAY_SERVER_FONT_DIR). Bản Excel vẫn tải được.":
        "The server lacks a Vietnamese font for the PDF; tell its administrator "
        "(SOTAY_SERVER_FONT_DIR). The Excel file can still be downloaded.",
    "Định dạng báo cáo chỉ có: html, xlsx, pdf.": "Report formats: html, xlsx, pdf only.",
    "Ngày ban hành «{value}» không hợp lệ; ghi dạng 31/12/2026.":
        "The date of issue «{value}» is not valid; write it as 31/12/2026.",
    "Dữ liệu biểu mẫu không đọc được ({detail}). Không có gì được ghi.":
        "The form data could not be read ({detail}). Nothing was saved.",
    "Dữ liệu gửi lên quá lớn. Không có gì được ghi.": "The upload is too large. Nothing was "
                                                      "saved.",
    # tree
    "{n} chi bộ": "{n} branches",
    "{n} đảng viên": "{n} members",
    "tháng {m}": "month {m}",
    "chi bộ đã sinh hoạt trên ứng dụng": "branches held their meeting in the app",
    "tỷ lệ dự họp": "attendance",
    "{n} nghị quyết thông qua": "{n} resolutions adopted",
    "{n} xung đột chờ xử lý": "{n} conflicts waiting",
    "{n} chi bộ chưa đồng bộ lần nào": "{n} branches never synced",
    "Tháng trước": "Previous month",
    "Tháng": "Month",
    "Xem": "Show",
    "Tháng sau": "Next month",
    "Gửi văn bản xuống đơn vị này": "Send a document to this unit",
    "Đơn vị": "Unit",
    "Chi bộ": "Branch",
    "Số chi bộ": "Branches",
    "Đảng viên": "Members",
    "Đồng bộ gần nhất": "Last sync",
    "Xung đột chờ": "Conflicts waiting",
    "Đã sinh hoạt tháng {m}": "Met in {m}",
    "Tỷ lệ dự họp": "Attendance",
    "Nghị quyết thông qua": "Resolutions adopted",
    "{n} chưa đồng bộ": "{n} never synced",
    "Có": "Yes",
    "Chưa": "Not yet",
    "Chưa có đơn vị nào trực thuộc.": "No units below yet.",
    "\"Đã sinh hoạt\": chi bộ có ít nhất một cuộc họp trong tháng với điểm danh có người dự. "
    "Tỷ lệ dự họp tính trên đảng viên phải dự (không tính người miễn sinh hoạt, chuyển sinh "
    "hoạt tạm thời đi). Giờ Việt Nam.":
        "\"Met\": the branch has at least one meeting in the month whose attendance shows "
        "someone present. Attendance counts the members who must attend (not those exempted "
        "or temporarily away). Times are Vietnam's.",
    "chưa bao giờ": "never",
    "Tỉnh": "Province",
    "Xã/Đảng ủy": "Commune",
    # branch and meeting
    "Tóm tắt danh sách đảng viên": "Roster summary",
    "Tổng số: {n} đảng viên.": "In all: {n} members.",
    "Tình trạng": "Status",
    "Giới tính": "Gender",
    "Độ tuổi": "Age",
    "Dân tộc": "Ethnicity",
    "Chưa ghi": "Not recorded",
    "Gửi văn bản riêng cho chi bộ này": "Send a document to this branch only",
    "Các cuộc họp": "Meetings",
    "Ngày": "Date",
    "Cuộc họp": "Meeting",
    "Loại": "Kind",
    "Dự họp": "Present",
    "Nghị quyết": "Resolution",
    "Sinh hoạt chi bộ": "Branch meeting",
    "Chi bộ chưa gửi cuộc họp nào lên.": "The branch has sent up no meetings yet.",
    "Thường kỳ": "Monthly",
    "Chuyên đề": "Thematic",
    "ngày": "on",
    "Đã ghi góp ý. Chi bộ sẽ nhận được ở lần đồng bộ tới.":
        "Comment saved. The branch receives it at its next sync.",
    "tại": "at",
    "dự họp": "present",
    "Chương trình": "Agenda",
    "Biên bản": "Minutes",
    "Ý kiến phát biểu": "Speakers",
    "Kết luận": "Conclusion",
    "Chưa có biên bản.": "No minutes yet.",
    "Số": "No.",
    "Dự thảo": "Draft",
    "Đang lấy ý kiến": "Circulated for comments",
    "Đã thông qua": "Adopted",
    "I. Kết quả": "I. Results",
    "II. Nhiệm vụ và giải pháp": "II. Tasks and measures",
    "III. Tổ chức thực hiện": "III. Implementation",
    "phụ trách": "responsible",
    "Biểu quyết: {yes} tán thành, {no} không tán thành (trên {base} đảng viên).":
        "Vote: {yes} for, {no} against (of {base} members).",
    "Ý kiến góp ý ({n})": "Comments ({n})",
    "Chưa có góp ý.": "No comments yet.",
    "Góp ý vào dự thảo": "Comment on the draft",
    "Gửi góp ý": "Send the comment",
    "Cuộc họp chưa có nghị quyết.": "The meeting has no resolution yet.",
    # publishing
    "Gửi văn bản xuống chi bộ": "Send a document down to the branches",
    "Tệp văn bản (PDF, DOCX…; tối đa {n} MB)": "Document file (PDF, DOCX…; at most {n} MB)",
    "Số, ký hiệu": "Number and symbol",
    "Ngày ban hành": "Date of issue",
    "Trích yếu": "Subject",
    "Tóm tắt (không bắt buộc)": "Summary (optional)",
    "Gửi tới": "Send to",
    "một chi bộ": "one branch",
    "tất cả chi bộ trực thuộc": "all branches below",
    "Văn bản đã gửi": "Documents sent",
    "Ngày gửi": "Sent on",
    "Đã tải về": "Downloaded",
    "{got}/{all} chi bộ": "{got}/{all} branches",
    "Chưa gửi văn bản nào.": "No documents sent yet.",
    "Đã gửi văn bản tới {n} chi bộ. Mỗi chi bộ nhận được ở lần đồng bộ tới.":
        "The document was sent to {n} branches. Each receives it at its next sync.",
    "ban hành": "issued",
    "tệp": "file",
    "chi bộ đã tải về.": "branches have downloaded it.",
    # reports
    "Tải về": "Download",
    "PDF để in": "PDF to print",
    "bản tải về bằng tiếng Việt": "the downloads are in Vietnamese",
    "Tổng số đảng viên": "Members in all",
    "Theo tình trạng": "By status",
    "Theo giới tính": "By gender",
    "Theo độ tuổi": "By age",
    "Theo dân tộc": "By ethnicity",
    "Sinh hoạt chi bộ theo tháng": "Branch meetings per month",
    "Chi bộ đã sinh hoạt": "Branches that met",
    "Đảng số của {unit} đến ngày {date}": "Party numbers of {unit} on {date}",
    "Chính thức": "Full members",
    "Dự bị": "Probationary",
    "Miễn sinh hoạt": "Exempted",
    "Chuyển sinh hoạt tạm thời đi": "Temporarily away",
    "Nam": "Male",
    "Nữ": "Female",
}

LANGUAGES = ("vi", "en")


def translator(lang: str) -> Callable[[str], str]:
    """``_`` for one request: Vietnamese as written, or its English (the key when missing)."""
    if lang != "en":
        return lambda text: text
    return lambda text: EN.get(text, text)
