"""The one translation mechanism for user-facing text (Vietnamese first, English too).

Import explicitly: ``from sotay_desktop import i18n`` then ``i18n.t("code", **params)``.
Nothing is installed into builtins. Fixed official wording of Party documents
is not here: it belongs to the document generators.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("vi", "en")
_current = "vi"


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def language() -> str:
    return _current


_MESSAGES: dict[str, dict[str, str]] = {
    # --- input validation
    "required": {"vi": "không được để trống", "en": "is required"},
    "too_long": {"vi": "dài quá {max} ký tự", "en": "is longer than {max} characters"},
    "control_character": {
        "vi": "có ký tự điều khiển không hợp lệ (U+{codepoint})",
        "en": "contains an invalid control character (U+{codepoint})",
    },
    "bad_date": {
        "vi": "ngày không hợp lệ: «{value}» (cần dạng ngày/tháng/năm, ví dụ 05/03/2026)",
        "en": "invalid date: «{value}» (expected dd/mm/yyyy, e.g. 05/03/2026)",
    },
    "bad_choice": {
        "vi": "giá trị «{value}» không hợp lệ; chọn một trong: {choices}",
        "en": "invalid value «{value}»; choose one of: {choices}",
    },
    "bad_type": {"vi": "phải là {expected}", "en": "must be {expected}"},
    "unknown_field": {"vi": "không có trường này", "en": "no such field"},
    "date_in_future": {
        "vi": "ngày {value} ở sau hôm nay ({today})",
        "en": "date {value} is after today ({today})",
    },
    "born_too_early": {
        "vi": "năm sinh {value} không hợp lý",
        "en": "year of birth {value} is not plausible",
    },
    "duplicate_card_number": {
        "vi": "số thẻ {value} đã có ở đảng viên {other}",
        "en": "card number {value} already belongs to {other}",
    },
    "bad_phone": {
        "vi": "số điện thoại «{value}» không hợp lệ",
        "en": "invalid phone number «{value}»",
    },
    # --- lifecycle
    "event_before_birth": {
        "vi": "ngày {event} ({date}) trước ngày sinh ({birth})",
        "en": "{event} date ({date}) is before the date of birth ({birth})",
    },
    "event_after_death": {
        "vi": "không thể ghi «{event}» ngày {date}: đồng chí đã từ trần ngày {death}",
        "en": "cannot record «{event}» on {date}: the member died on {death}",
    },
    "not_in_party": {
        "vi": "không thể ghi «{event}» ngày {date}: lúc đó chưa (hoặc không còn) là đảng viên",
        "en": "cannot record «{event}» on {date}: not a party member at that date",
    },
    "already_in_party": {
        "vi": "không thể ghi «{event}» ngày {date}: lúc đó đã là đảng viên",
        "en": "cannot record «{event}» on {date}: already a party member at that date",
    },
    "official_before_admission": {
        "vi": "ngày công nhận chính thức ({date}) trước ngày kết nạp ({admitted})",
        "en": "made official on {date}, before admission on {admitted}",
    },
    "official_before_probation_end": {
        "vi": "ngày công nhận chính thức ({date}) chưa hết {months} tháng dự bị "
        "(kết nạp {admitted}, sớm nhất {earliest})",
        "en": "made official on {date}, before the {months}-month probation ended "
        "(admitted {admitted}, earliest {earliest})",
    },
    "not_probationary": {
        "vi": "không thể ghi «{event}» ngày {date}: đồng chí không phải đảng viên dự bị",
        "en": "cannot record «{event}» on {date}: the member is not on probation",
    },
    "not_exempted": {
        "vi": "không thể ghi «{event}» ngày {date}: đồng chí không được miễn sinh hoạt",
        "en": "cannot record «{event}» on {date}: the member is not exempted",
    },
    "already_exempted": {
        "vi": "không thể ghi «{event}» ngày {date}: đồng chí đang được miễn sinh hoạt",
        "en": "cannot record «{event}» on {date}: the member is already exempted",
    },
    "not_away": {
        "vi": "không thể ghi «{event}» ngày {date}: đồng chí không đang chuyển sinh hoạt tạm thời",
        "en": "cannot record «{event}» on {date}: the member is not temporarily away",
    },
    "already_away": {
        "vi": "không thể ghi «{event}» ngày {date}: đồng chí đang chuyển sinh hoạt tạm thời",
        "en": "cannot record «{event}» on {date}: the member is already temporarily away",
    },
    "not_on_roster": {
        "vi": "không thể ghi «{event}» ngày {date}: đồng chí không còn trong danh sách chi bộ",
        "en": "cannot record «{event}» on {date}: the member is not on this branch's roster",
    },
    "exemption_needs_official": {
        "vi": "chỉ đảng viên chính thức mới được miễn sinh hoạt",
        "en": "only official members can be exempted",
    },
    # --- storage
    "not_found": {"vi": "không tìm thấy {what} «{id}»", "en": "{what} «{id}» not found"},
    "db_corrupt": {
        "vi": "tệp dữ liệu {path} bị hỏng hoặc không phải tệp dữ liệu Sổ tay ({detail})",
        "en": "data file {path} is damaged or not a Sổ tay data file ({detail})",
    },
    "db_too_new": {
        "vi": "tệp dữ liệu {path} được tạo bởi phiên bản Sổ tay mới hơn (lược đồ {found}); "
        "hãy cập nhật phần mềm. Tệp không bị thay đổi.",
        "en": "data file {path} was written by a newer Sổ tay (schema {found}); "
        "please update the software. The file was not changed.",
    },
    "dir_not_writable": {
        "vi": "không ghi được vào thư mục dữ liệu {path}: {detail}",
        "en": "cannot write to the data folder {path}: {detail}",
    },
    "no_branch": {
        "vi": "thư mục {path} chưa có chi bộ nào; hãy tạo chi bộ mẫu bằng «sotay demo»",
        "en": "folder {path} holds no branch yet; create a demo with «sotay demo»",
    },
    "settings_not_saved": {
        "vi": "Không lưu được cài đặt vào {path} ({detail}); thay đổi chỉ có hiệu lực lần này.",
        "en": "Could not save the settings to {path} ({detail}); "
              "the change applies this time only."},
    "bad_json": {"vi": "tệp JSON không đọc được: {detail}", "en": "cannot read JSON: {detail}"},
    "demo_not_empty": {
        "vi": "thư mục {path} đã có dữ liệu chi bộ; chọn thư mục trống khác",
        "en": "folder {path} already holds branch data; choose an empty folder",
    },
    # --- member events (EventKind values)
    "event.admitted": {"vi": "kết nạp", "en": "admitted"},
    "event.made_official": {"vi": "công nhận chính thức", "en": "made official"},
    "event.exempted": {"vi": "miễn công tác và sinh hoạt", "en": "exempted"},
    "event.exemption_ended": {"vi": "thôi miễn sinh hoạt", "en": "exemption ended"},
    "event.transferred_in": {"vi": "chuyển sinh hoạt đến", "en": "transferred in"},
    "event.transferred_out": {"vi": "chuyển sinh hoạt đi", "en": "transferred out"},
    "event.temp_in": {"vi": "sinh hoạt tạm thời đến", "en": "temporarily attending here"},
    "event.temp_in_ended": {"vi": "hết sinh hoạt tạm thời", "en": "temporary attendance ended"},
    "event.temp_out": {"vi": "chuyển sinh hoạt tạm thời đi", "en": "temporarily away"},
    "event.returned": {"vi": "trở về sinh hoạt", "en": "returned"},
    "event.residence_contact": {"vi": "giữ mối liên hệ nơi cư trú", "en": "residence contact"},
    "event.disciplined": {"vi": "kỷ luật", "en": "disciplined"},
    "event.deceased": {"vi": "từ trần", "en": "deceased"},
    "event.struck_off": {"vi": "xoá tên", "en": "struck off"},
    "event.expelled": {"vi": "khai trừ", "en": "expelled"},
    "event.left": {"vi": "ra khỏi Đảng", "en": "left the Party"},
    # --- member status (MemberStatus values)
    "status.probationary": {"vi": "Dự bị", "en": "Probationary"},
    "status.official": {"vi": "Chính thức", "en": "Official"},
    "status.exempted": {"vi": "Miễn sinh hoạt", "en": "Exempted"},
    "status.away": {"vi": "Sinh hoạt tạm thời nơi khác", "en": "Temporarily away"},
    "status.temporary": {"vi": "Sinh hoạt tạm thời", "en": "Temporary"},
    "status.transferred_out": {"vi": "Đã chuyển đi", "en": "Transferred out"},
    "status.deceased": {"vi": "Từ trần", "en": "Deceased"},
    "status.removed": {"vi": "Đã ra khỏi Đảng", "en": "No longer a member"},
    "status.none": {"vi": "Chưa kết nạp", "en": "Not admitted"},
    "gender.male": {"vi": "Nam", "en": "Male"},
    "gender.female": {"vi": "Nữ", "en": "Female"},
    # --- desktop UI
    "ui.app_title": {"vi": "Sổ tay bí thư chi bộ", "en": "Branch secretary's notebook"},
    "ui.nav_home": {"vi": "&Trang chủ", "en": "&Home"},
    "ui.nav_roster": {"vi": "&Danh sách đảng viên", "en": "&Roster"},
    "ui.search": {"vi": "&Tìm:", "en": "&Search:"},
    "ui.search_placeholder": {"vi": "gõ tên, không cần dấu (ví dụ: nguyen thi hoa)",
                              "en": "type a name, diacritics optional"},
    "ui.status_filter": {"vi": "T&rạng thái:", "en": "S&tatus:"},
    "ui.status_all": {"vi": "Tất cả", "en": "All"},
    "ui.status_on_roster": {"vi": "Đang sinh hoạt (đảng số)", "en": "On the roster"},
    "ui.col_no": {"vi": "STT", "en": "No."},
    "ui.col_name": {"vi": "Họ và tên", "en": "Full name"},
    "ui.col_born": {"vi": "Ngày sinh", "en": "Born"},
    "ui.col_gender": {"vi": "Giới tính", "en": "Gender"},
    "ui.col_admitted": {"vi": "Vào Đảng", "en": "Admitted"},
    "ui.col_official": {"vi": "Chính thức", "en": "Official"},
    "ui.col_card": {"vi": "Số thẻ", "en": "Card no."},
    "ui.col_status": {"vi": "Trạng thái", "en": "Status"},
    "ui.shown_count": {"vi": "Hiển thị {shown}/{total} đảng viên",
                       "en": "Showing {shown} of {total} members"},
    "ui.loading": {"vi": "Đang tải dữ liệu…", "en": "Loading…"},
    "ui.home_heading": {"vi": "{branch}", "en": "{branch}"},
    "ui.home_counts": {
        "vi": "Đảng số: {on_roster} đồng chí — chính thức {official}, dự bị {probationary}, "
              "miễn sinh hoạt {exempted}, sinh hoạt tạm thời nơi khác {away}",
        "en": "On the roster: {on_roster} — official {official}, probationary {probationary}, "
              "exempted {exempted}, temporarily away {away}"},
    "ui.error_title": {"vi": "Có lỗi", "en": "Error"},
    "unexpected_error": {
        "vi": "Đã có lỗi ngoài dự kiến; dữ liệu đã lưu trước đó không bị mất. Chi tiết kỹ thuật "
              "đã được ghi vào tệp nhật ký trong thư mục dữ liệu ({log}).",
        "en": "Something unexpected went wrong; data saved before is not lost. The technical "
              "details were written to the log file in the data folder ({log}).",
    },
    "ui.remove_member": {"vi": "&Xoá (nhập nhầm)…", "en": "&Remove (entered by mistake)…"},
    "ui.remove_title": {"vi": "Xoá khỏi danh sách", "en": "Remove from the roster"},
    "ui.remove_confirm": {
        "vi": "Xoá đồng chí {name} khỏi danh sách đảng viên?\n\nChỉ dùng khi nhập nhầm. Nếu "
              "đồng chí từ trần, bị xoá tên, khai trừ hay chuyển sinh hoạt, hãy ghi sự kiện vào "
              "lý lịch thay vì xoá.\n\nCó thể hoàn tác ở Trang chủ.",
        "en": "Remove {name} from the roster?\n\nOnly for a member entered by mistake. For a "
              "death, a strike-off, an expulsion or a transfer, record the event in the "
              "member's history instead.\n\nThis can be undone from Home.",
    },
    "ui.remove_verb": {"vi": "Xoá khỏi danh sách", "en": "Remove from the roster"},
    "ui.removed": {"vi": "Đã xoá {name} khỏi danh sách. Có thể hoàn tác ở Trang chủ.",
                   "en": "{name} was removed from the roster. It can be undone from Home."},
    "ui.undo": {"vi": "&Hoàn tác", "en": "&Undo"},
    "ui.undo_title": {"vi": "Hoàn tác", "en": "Undo"},
    "ui.last_import": {"vi": "Lần nhập gần nhất: {count} đảng viên từ tệp «{label}» ({at}).",
                       "en": "Last import: {count} members from «{label}» ({at})."},
    "ui.last_remove": {"vi": "Vừa xoá khỏi danh sách: {label} ({at}).",
                       "en": "Last removed from the roster: {label} ({at})."},
    "ui.undo_import_confirm": {
        "vi": "Hoàn tác lần nhập {count} đảng viên từ tệp «{label}»?\n\nCác đảng viên đó sẽ "
              "bị xoá khỏi danh sách, kể cả những gì đã sửa sau khi nhập.",
        "en": "Undo the import of {count} members from «{label}»?\n\nThose members are "
              "removed from the roster, with whatever was changed after the import.",
    },
    "ui.undo_remove_confirm": {"vi": "Đưa {label} trở lại danh sách?",
                               "en": "Put {label} back on the roster?"},
    "ui.undone": {"vi": "Đã hoàn tác.", "en": "Undone."},
    "cli.json_object": {"vi": "cần một đối tượng JSON {…}", "en": "a JSON object {…} is needed"},
    "cli.demo_made": {
        "vi": "Đã tạo {branch}: {members} đảng viên, {documents} văn bản, {meetings} cuộc họp "
              "trong {path}",
        "en": "Made {branch}: {members} members, {documents} documents, {meetings} meetings "
              "in {path}"},
    "cli.member_count": {"vi": "({count} đảng viên)", "en": "({count} members)"},
    "cli.updated": {"vi": "Đã cập nhật.", "en": "Updated."},
    "cli.unchanged": {"vi": "Không có gì thay đổi.", "en": "Nothing changed."},
    "cli.import_report": {"vi": "Hợp lệ: {valid}; đã nhập: {imported}; bỏ qua: {rejected}",
                          "en": "Valid: {valid}; imported: {imported}; refused: {rejected}"},
    "cli.import_line": {"vi": "dòng {line} ({name}): {errors}",
                        "en": "line {line} ({name}): {errors}"},
    "cli.packet_made": {"vi": "{path} ({pages} trang, {copies} bản)",
                        "en": "{path} ({pages} pages, {copies} copies)"},
    "cli.check_report": {
        "vi": "Tệp: {path}\nPhiên bản lược đồ: {version}\nThay đổi chờ đồng bộ: {pending}",
        "en": "File: {path}\nSchema version: {version}\nChanges waiting to sync: {pending}"},
    "cli.check_ok": {"vi": "Kiểm tra toàn vẹn: tốt", "en": "Integrity check: good"},
    "cli.check_bad": {"vi": "Kiểm tra toàn vẹn: CÓ LỖI", "en": "Integrity check: PROBLEMS"},
    "cli.present": {"vi": "có mặt {present}/{called}", "en": "present {present}/{called}"},
    "cli.no_conflicts": {"vi": "Không có chỗ nào cần xem lại.", "en": "Nothing to review."},
    "cli.error": {"vi": "Lỗi: {text}", "en": "Error: {text}"},
    "import_no_admission": {
        "vi": "không có ngày vào Đảng: dòng này không được nhập (chỉ đảng viên mới vào danh "
              "sách; nếu tệp có cột ngày vào Đảng mang tên khác, hãy chọn cột đó ở trên)",
        "en": "no date of admission: this row is not imported (only Party members go on the "
              "roster; if the file's admission column has another heading, map it above)"},
    "undo_changed": {
        "vi": "Việc cần hoàn tác đã thay đổi (một cửa sổ khác hoặc một lệnh vừa nhập hay xoá). "
              "Không hoàn tác gì; hãy xem lại Trang chủ.",
        "en": "The act to undo has changed (another window or a command imported or removed "
              "meanwhile). Nothing was undone; look at Home again."},
    "undo_nothing": {"vi": "Không có việc nào để hoàn tác.", "en": "There is nothing to undo."},
    "minutes_roll_call_open": {
        "vi": "Chưa điểm danh xong: còn {count} đồng chí chưa ghi có mặt hay vắng, nên biên bản "
              "chưa in được (dùng «Những người còn lại: có mặt» ở thẻ Điểm danh).",
        "en": "The roll call is not finished: {count} members have no mark yet, so the "
              "minutes cannot be printed (use «Everyone else present» on the Attendance tab)."},
    "meeting_no_resolution": {"vi": "Cuộc họp này chưa có nghị quyết.",
                              "en": "This meeting has no resolution yet."},
    "db_busy": {
        "vi": "Dữ liệu đang được một chương trình khác ghi (một cửa sổ Sổ tay khác, lệnh sao lưu "
              "hoặc nhập danh sách) quá lâu. Hãy chờ việc đó xong rồi thử lại.",
        "en": "Another program (a second window of the app, a backup or an import) has been "
              "writing the data for too long. Wait for it to finish, then try again.",
    },
    "ui.background_failed": {
        "vi": "Không làm được việc chạy nền: {reason}",
        "en": "A background task did not complete: {reason}",
    },
    "ui.first_run_title": {"vi": "Bắt đầu dùng Sổ tay", "en": "Getting started"},
    "ui.first_run_intro": {
        "vi": "Thư mục dữ liệu này chưa có chi bộ nào. Bạn muốn:",
        "en": "This data folder holds no branch yet. Would you like to:"},
    "ui.first_run_demo": {"vi": "Dùng thử với một chi bộ &mẫu", "en": "Try a &demo branch"},
    "ui.first_run_new": {"vi": "Tạo chi bộ &mới", "en": "Create a &new branch"},
    "ui.branch_name": {"vi": "Tên &chi bộ:", "en": "&Branch:"},
    "ui.commune_name": {"vi": "Đảng bộ &xã:", "en": "&Commune:"},
    "ui.province_name": {"vi": "Đảng bộ t&ỉnh:", "en": "&Province:"},
    "ui.ok": {"vi": "Đồng ý", "en": "OK"},
    "ui.cancel": {"vi": "Huỷ", "en": "Cancel"},
    "ui.navigation": {"vi": "Điều hướng", "en": "Navigation"},
    # verbs on the buttons of confirmations (never Yes/No)
    "ui.verb_record_event": {"vi": "&Ghi vào lý lịch", "en": "&Record it"},
    "ui.verb_set_aside": {"vi": "Cất thư mục cũ, &bắt đầu lại",
                          "en": "Set the folder aside, &start over"},
    "ui.verb_keep": {"vi": "&Giữ giá trị này", "en": "&Keep this value"},
    "ui.member_new": {"vi": "Thêm đảng viên", "en": "New member"},
    "ui.member_edit": {"vi": "Sửa thông tin đảng viên", "en": "Edit member"},
    "ui.tab_personal": {"vi": "Thông tin &cá nhân", "en": "&Personal"},
    "ui.tab_education": {"vi": "Học &vấn, nghề nghiệp", "en": "&Education, work"},
    "ui.tab_party": {"vi": "Thẻ, hồ sơ &Đảng", "en": "Party &records"},
    "ui.date_hint": {"vi": "ngày/tháng/năm, ví dụ 05/03/1960", "en": "day/month/year"},
    "ui.gender_unknown": {"vi": "(chưa ghi)", "en": "(not set)"},
    "ui.save": {"vi": "&Lưu", "en": "&Save"},
    "ui.saving": {"vi": "Đang lưu…", "en": "Saving…"},
    "ui.saved": {"vi": "Đã lưu.", "en": "Saved."},
    "ui.add_member": {"vi": "Thêm đảng &viên…", "en": "&Add member…"},
    "ui.edit_member": {"vi": "&Sửa thông tin…", "en": "&Edit…"},
    "ui.record_event": {"vi": "&Ghi quá trình…", "en": "&Record event…"},
    "ui.event_title": {"vi": "Ghi quá trình sinh hoạt Đảng – {name}",
                       "en": "Record an event – {name}"},
    "ui.event_kind": {"vi": "&Việc:", "en": "&Event:"},
    "ui.event_date": {"vi": "&Ngày:", "en": "&Date:"},
    "ui.event_decision": {"vi": "&Quyết định số:", "en": "De&cision:"},
    "ui.event_place": {"vi": "&Nơi đến/đi:", "en": "&From/to:"},
    "ui.event_detail": {"vi": "Lý &do, ghi chú:", "en": "&Reason, notes:"},
    "ui.event_confirm": {
        "vi": "Ghi «{event}» ngày {date} cho đồng chí {name}?\n\nQuá trình sinh hoạt Đảng "
              "không sửa hay xoá được sau khi ghi.",
        "en": "Record «{event}» on {date} for {name}?\n\nThe history cannot be edited or "
              "deleted afterwards."},
    "ui.history": {"vi": "Quá trình sinh hoạt Đảng", "en": "History in the Party"},
    "ui.col_date": {"vi": "Ngày", "en": "Date"},
    "ui.col_event": {"vi": "Việc", "en": "Event"},
    "ui.col_decision": {"vi": "Quyết định", "en": "Decision"},
    "ui.col_place": {"vi": "Nơi", "en": "Place"},
    "ui.col_detail": {"vi": "Ghi chú", "en": "Notes"},
    "ui.no_member_selected": {"vi": "Chọn một đảng viên trong danh sách để xem chi tiết.",
                              "en": "Select a member to see the details."},
    "ui.party_age": {"vi": "Tuổi Đảng: {years} năm", "en": "Party age: {years} years"},
    "ui.next_badge": {"vi": "Huy hiệu {years} năm tuổi Đảng: {date}",
                      "en": "{years}-year badge: {date}"},
    "ui.probation_ends": {"vi": "Hết dự bị: {date}", "en": "Probation ends: {date}"},
    "ui.reminders": {"vi": "Việc cần làm", "en": "Reminders"},
    "ui.no_reminders": {"vi": "Không có việc cần nhắc.", "en": "Nothing to remind."},
    "ui.print_list": {"vi": "&In danh sách…", "en": "&Print list…"},
    "ui.col_due": {"vi": "Hạn", "en": "Due"},
    "ui.col_reminder": {"vi": "Việc", "en": "What"},
    "ui.col_member": {"vi": "Đảng viên", "en": "Member"},
    "reminder.probation": {"vi": "Hết thời hạn dự bị: xét công nhận chính thức",
                           "en": "Probation ends: consider full membership"},
    "reminder.probation_overdue": {
        "vi": "Đã hết thời hạn dự bị: chưa xét công nhận chính thức",
        "en": "Probation ended: full membership not yet considered"},
    "reminder.badge": {"vi": "Đủ {years} năm tuổi Đảng: đề nghị tặng Huy hiệu",
                       "en": "{years} years in the Party: propose the badge"},
    "reminder.exemption": {"vi": "Xem xét lại việc miễn sinh hoạt ({years} năm)",
                           "en": "Review the exemption ({years} years)"},
    "ui.reminders_print_title": {"vi": "DANH SÁCH VIỆC CẦN LÀM", "en": "REMINDERS"},
    "ui.printed_on": {"vi": "Ngày in: {date}", "en": "Printed on {date}"},
    # --- documents
    "file_damaged": {"vi": "tệp «{name}» bị hỏng, không đọc được ({detail})",
                     "en": "file «{name}» is damaged and cannot be read ({detail})"},
    "file_unsupported": {
        "vi": "tệp «{name}» không phải PDF, DOCX, TXT hay ảnh nên không thêm được",
        "en": "file «{name}» is not a PDF, DOCX, TXT or image, so it cannot be added"},
    "pdf_encrypted": {
        "vi": "tệp PDF «{name}» có mật khẩu; hãy xin bản không đặt mật khẩu",
        "en": "PDF «{name}» is password-protected; ask for a copy without a password"},
    "file_too_large": {
        "vi": "tệp «{name}» quá lớn ({size} MB); giới hạn là {limit} MB",
        "en": "file «{name}» is too large ({size} MB); the limit is {limit} MB"},
    "file_unreadable": {"vi": "không mở được tệp «{name}»: {detail}",
                        "en": "cannot open file «{name}»: {detail}"},
    "document": {"vi": "văn bản", "en": "document"},
    "ui.nav_documents": {"vi": "&Văn bản", "en": "&Documents"},
    "ui.doc_search": {"vi": "&Tìm văn bản:", "en": "&Search:"},
    "ui.doc_search_placeholder": {"vi": "số, tên hay nội dung, không cần dấu",
                                  "en": "number, title or text; diacritics optional"},
    "ui.doc_origin": {"vi": "&Nguồn:", "en": "&Origin:"},
    "ui.origin_all": {"vi": "Tất cả", "en": "All"},
    "origin.from_above": {"vi": "Văn bản cấp trên", "en": "From above"},
    "origin.own": {"vi": "Văn bản của chi bộ", "en": "The branch's own"},
    "ui.bookmarked_only": {"vi": "Chỉ văn bản «&đọc sau»", "en": "Only «read &later»"},
    "ui.add_documents": {"vi": "Thêm &văn bản…", "en": "&Add documents…"},
    "ui.open_file": {"vi": "&Mở tệp", "en": "&Open file"},
    "ui.bookmark": {"vi": "Đánh dấu đọc &sau", "en": "Read &later"},
    "ui.unbookmark": {"vi": "Bỏ đánh dấu đọc &sau", "en": "Remove read &later"},
    "ui.col_number": {"vi": "Số, ký hiệu", "en": "Number"},
    "ui.col_issued": {"vi": "Ngày", "en": "Date"},
    "ui.col_issuer": {"vi": "Cơ quan ban hành", "en": "Issued by"},
    "ui.col_title": {"vi": "Trích yếu", "en": "Title"},
    "ui.col_later": {"vi": "Đọc sau", "en": "Later"},
    "ui.doc_count": {"vi": "{count} văn bản", "en": "{count} documents"},
    "ui.add_document_title": {"vi": "Thêm văn bản – {name}", "en": "Add document – {name}"},
    "ui.adding_documents": {"vi": "Đang thêm văn bản…", "en": "Adding documents…"},
    "ui.add_report": {"vi": "Đã thêm {added}/{total} văn bản.", "en": "Added {added} of {total}."},
    "ui.add_cancelled": {"vi": "Đã dừng theo yêu cầu.", "en": "Stopped on request."},
    "ui.no_text_notice": {
        "vi": "Tệp «{name}» không có chữ để tìm kiếm (ảnh hoặc bản quét); đã lưu tệp.",
        "en": "«{name}» has no searchable text (an image or a scan); the file is kept."},
    "ui.legacy_notice": {
        "vi": "Tệp «{name}» dùng bảng mã cũ ({encoding}); đã chuyển sang Unicode để tìm kiếm. "
              "Tệp gốc được giữ nguyên.",
        "en": "«{name}» uses an old encoding ({encoding}); converted to Unicode for search. "
              "The original file is kept."},
    "ui.file_filter": {"vi": "Văn bản (*.pdf *.docx *.txt *.png *.jpg *.jpeg);;Mọi tệp (*)",
                       "en": "Documents (*.pdf *.docx *.txt *.png *.jpg *.jpeg);;All files (*)"},
    "ui.add": {"vi": "&Thêm", "en": "&Add"},
    # --- roster import / export
    "import_unreadable": {
        "vi": "không đọc được tệp «{name}»: tệp bị hỏng hoặc không thật là tệp {detail}",
        "en": "cannot read «{name}»: it is damaged or not really a {detail} file"},
    "import_no_header": {
        "vi": "tệp «{name}» không có dòng tiêu đề nhận ra được (cần ít nhất cột «Họ và tên»)",
        "en": "«{name}» has no recognisable header row (a «Họ và tên» column is needed)"},
    "import_too_many_rows": {"vi": "tệp có quá {limit} dòng", "en": "more than {limit} rows"},
    "import_too_large": {
        "vi": "tệp «{name}» quá lớn để nhập ({size}); giới hạn là {limit}",
        "en": "«{name}» is too large to import ({size}); the limit is {limit}"},
    "import_unpacked_too_large": {
        "vi": "tệp «{name}» khi giải nén lớn quá mức ({size}, giới hạn {limit}); tệp hỏng "
              "hoặc không phải một danh sách, nên không mở",
        "en": "«{name}» unpacks to far too much ({size}, limit {limit}); it is damaged or "
              "not a roster, so it is not opened"},
    "import_too_many_columns": {
        "vi": "tệp «{name}» có quá nhiều cột (hơn {limit}), không phải một danh sách đảng viên",
        "en": "«{name}» has too many columns (more than {limit}); it is not a roster"},
    "import_cell_too_long": {
        "vi": "tệp «{name}» có một ô dài quá {limit} ký tự (dòng {line})",
        "en": "«{name}» has a cell longer than {limit} characters (line {line})"},
    "import_bad_left_form": {
        "vi": "không rõ hình thức «{value}» (ghi: xoá tên, khai trừ hoặc ra khỏi Đảng)",
        "en": "unknown form of leaving the Party «{value}» (struck off, expelled or left)"},
    "ui.import_skipped": {
        "vi": "Bỏ qua {count} dòng không phải đảng viên (tổng số, chú thích, chữ ký…): {lines}",
        "en": "{count} rows that are not members were left out (totals, captions, "
              "signatures…): {lines}"},
    "ui.import_map_column": {"vi": "&Cột trong tệp:", "en": "&Column in the file:"},
    "ui.import_map_field": {"vi": "Là &thông tin:", "en": "&Holds:"},
    "ui.import_map_apply": {"vi": "Áp &dụng", "en": "A&pply"},
    "ui.import_map_none": {"vi": "(không dùng)", "en": "(not used)"},
    "file_too_complex": {
        "vi": "tệp «{name}» có quá nhiều thành phần (hơn {limit} đoạn, dòng, ô…); tệp hỏng "
              "hoặc cố ý gây hại, nên không đọc",
        "en": "«{name}» has far too many parts (over {limit} paragraphs, runs, cells…); it "
              "is damaged or hostile, so it is not read"},
    "file_unpacked_too_large": {
        "vi": "tệp «{name}» khi giải nén lớn quá mức ({size}, giới hạn {limit}); tệp hỏng "
              "hoặc cố ý gây hại, nên không đọc",
        "en": "«{name}» unpacks to far too much ({size}, limit {limit}); it is damaged or "
              "hostile, so it is not read"},
    "duplicate_in_branch": {"vi": "trùng với đảng viên đã có: {name}",
                            "en": "duplicates an existing member: {name}"},
    "duplicate_in_file": {"vi": "trùng với dòng {line} trong tệp",
                          "en": "duplicates line {line} of the file"},
    "ui.import_roster": {"vi": "&Nhập danh sách…", "en": "&Import…"},
    "ui.export_roster": {"vi": "&Xuất Mẫu 7…", "en": "E&xport (form 7)…"},
    "ui.import_title": {"vi": "Nhập danh sách đảng viên – {name}", "en": "Import – {name}"},
    "ui.import_summary": {
        "vi": "{valid} dòng hợp lệ sẽ được nhập; {rejected} dòng có lỗi sẽ bỏ qua.",
        "en": "{valid} valid rows will be imported; {rejected} rows with errors are skipped."},
    "ui.import_ignored": {"vi": "Cột không dùng: {columns}", "en": "Columns not used: {columns}"},
    "ui.import_do": {"vi": "&Nhập {count} dòng hợp lệ", "en": "&Import {count} valid rows"},
    "ui.save_report": {"vi": "&Lưu danh sách dòng lỗi…", "en": "&Save the rejected rows…"},
    "ui.imported": {"vi": "Đã nhập {count} đảng viên.", "en": "Imported {count} members."},
    "ui.exported": {"vi": "Đã lưu {path}", "en": "Saved {path}"},
    "ui.col_line": {"vi": "Dòng", "en": "Line"},
    "ui.col_result": {"vi": "Kết quả", "en": "Result"},
    "ui.row_ok": {"vi": "Hợp lệ", "en": "OK"},
    "ui.sheet_filter": {"vi": "Bảng tính (*.xlsx *.xls *.csv)",
                        "en": "Spreadsheets (*.xlsx *.xls *.csv)"},
    "ui.xlsx_filter": {"vi": "Bảng tính Excel (*.xlsx)", "en": "Excel workbook (*.xlsx)"},
    "ui.menu_file": {"vi": "&Tệp", "en": "&File"},
    "ui.menu_view": {"vi": "&Hiển thị", "en": "&View"},
    "ui.quit": {"vi": "&Thoát", "en": "&Quit"},
    "ui.size_normal": {"vi": "Cỡ chữ &bình thường", "en": "&Normal type"},
    "ui.size_large": {"vi": "Cỡ chữ &lớn (150%)", "en": "&Large type (150%)"},
    "ui.size_huge": {"vi": "Cỡ chữ &rất lớn (200%)", "en": "&Very large type (200%)"},
    "ui.high_contrast": {"vi": "Tương phản &cao", "en": "High &contrast"},
    # --- meetings
    "meeting": {"vi": "cuộc họp", "en": "meeting"},
    "resolution": {"vi": "nghị quyết", "en": "resolution"},
    "bad_time": {"vi": "giờ «{value}» không hợp lệ (cần dạng 19:30)",
                 "en": "invalid time «{value}» (expected 19:30)"},
    "bad_votes": {"vi": "số phiếu không hợp lệ: tán thành {votes_for}, không tán thành "
                        "{votes_against}, trong khi chỉ có {base} đảng viên có quyền biểu quyết",
                  "en": "impossible vote: {votes_for} for, {votes_against} against, with "
                        "{base} members entitled to vote"},
    "not_adopted": {"vi": "chưa đủ quá nửa: cần ít nhất {needed}/{base} phiếu tán thành, "
                          "mới có {votes_for}",
                    "en": "no majority: at least {needed} of {base} votes needed, "
                          "{votes_for} cast for"},
    "number_taken": {"vi": "số {value} đã dùng cho nghị quyết khác trong nhiệm kỳ",
                     "en": "number {value} is already used in this term"},
    "bad_number": {"vi": "số, ký hiệu «{value}» không đúng dạng (ví dụ 05-NQ/CB)",
                   "en": "«{value}» is not a document number (e.g. 05-NQ/CB)"},
    "already_adopted": {"vi": "nghị quyết đã được thông qua, không sửa được nữa",
                        "en": "the resolution is adopted and can no longer change"},
    "names_missing": {
        "vi": "Chưa ghi đủ tên người trên văn bản, còn thiếu: {missing}. Hãy chọn ở thẻ "
              "«Thông tin» rồi làm lại.",
        "en": "The paper would carry blank names; still missing: {missing}. Choose them on "
              "the «Details» tab and try again."},
    "role.chair": {"vi": "người chủ trì", "en": "the chair"},
    "role.recorder": {"vi": "thư ký", "en": "the recorder"},
    "role.signer": {"vi": "người ký (bí thư chi bộ)", "en": "the signer (branch secretary)"},
    "meeting_same_title": {
        "vi": "Tháng {month}/{year} đã có một cuộc họp tên «{title}» (ngày {other}); "
              "có thể đây là nhập trùng.",
        "en": "There is already a meeting called «{title}» in {month}/{year} (on {other}); "
              "this may be a duplicate."},
    "not_on_branch_roster": {"vi": "đồng chí này không ở trong danh sách chi bộ",
                             "en": "this member is not on the branch roster"},
    "ui.nav_meetings": {"vi": "&Sinh hoạt chi bộ", "en": "&Meetings"},
    "ui.new_meeting": {"vi": "Cuộc họp &mới…", "en": "&New meeting…"},
    "ui.col_present": {"vi": "Có mặt", "en": "Present"},
    "ui.col_resolution": {"vi": "Nghị quyết", "en": "Resolution"},
    "ui.col_kind": {"vi": "Đảng viên", "en": "Member"},
    "ui.col_attendance": {"vi": "Điểm danh", "en": "Attendance"},
    "ui.col_reason": {"vi": "Lý do", "en": "Reason"},
    "ui.tab_attendance": {"vi": "Điểm &danh", "en": "&Attendance"},
    "ui.tab_minutes": {"vi": "&Biên bản", "en": "&Minutes"},
    "ui.tab_resolution": {"vi": "&Nghị quyết", "en": "&Resolution"},
    "ui.tab_print": {"vi": "&In ấn", "en": "&Print"},
    "ui.mark": {"vi": "&Ghi điểm danh", "en": "&Mark"},
    "ui.mark_all_present": {"vi": "Những người còn lại: &có mặt", "en": "Everyone else &present"},
    "ui.not_marked": {"vi": "(chưa điểm danh)", "en": "(not marked)"},
    "ui.attendance_counts": {
        "vi": "Có mặt {present}/{called} · có quyền biểu quyết {base} · nghị quyết cần ít nhất "
              "{needed} phiếu tán thành",
        "en": "Present {present}/{called} · entitled to vote {base} · a resolution needs "
              "{needed} votes"},
    "ui.speakers": {"vi": "Ý kiến &phát biểu (mỗi dòng: Họ tên: nội dung):",
                    "en": "&Speakers (one per line: Name: gist):"},
    "ui.conclusion": {"vi": "&Kết luận của chủ trì:", "en": "Chair's &conclusion:"},
    "ui.votes_for": {"vi": "&Tán thành:", "en": "Votes &for:"},
    "ui.votes_against": {"vi": "Không tán thà&nh:", "en": "Votes a&gainst:"},
    "ui.ends_at": {"vi": "&Kết thúc lúc:", "en": "&Ended at:"},
    "ui.save_minutes": {"vi": "&Lưu biên bản", "en": "&Save minutes"},
    "ui.res_number": {"vi": "&Số, ký hiệu (để trống: tự đánh số):",
                      "en": "&Number (empty: next number):"},
    "ui.res_summary": {"vi": "Trích &yếu:", "en": "&Summary:"},
    "ui.res_results": {"vi": "I. &Kết quả thực hiện nhiệm vụ:", "en": "I. &Results:"},
    "ui.res_tasks": {"vi": "II. &Nhiệm vụ (mỗi dòng: việc — người phụ trách):",
                     "en": "II. &Tasks (one per line: task — who):"},
    "ui.res_implementation": {"vi": "III. Tổ chức &thực hiện:", "en": "III. &Implementation:"},
    "ui.save_draft": {"vi": "&Lưu dự thảo", "en": "&Save draft"},
    "ui.circulate": {"vi": "&Gửi lấy ý kiến", "en": "&Circulate"},
    "ui.adopt": {"vi": "Thông &qua", "en": "&Adopt"},
    "ui.comments": {"vi": "Ý kiến góp ý dự thảo", "en": "Comments on the draft"},
    "ui.comment_author": {"vi": "&Người góp ý:", "en": "&From:"},
    "ui.comment_body": {"vi": "&Nội dung góp ý:", "en": "&Comment:"},
    "ui.add_comment": {"vi": "Thêm ý &kiến", "en": "Add &comment"},
    "ui.details_saved_at": {"vi": "✓ Đã lưu thông tin cuộc họp lúc {time}.",
                            "en": "✓ Meeting details saved at {time}."},
    "ui.minutes_saved_at": {"vi": "✓ Đã lưu biên bản lúc {time}.",
                            "en": "✓ Minutes saved at {time}."},
    "ui.draft_saved_at": {"vi": "✓ Đã lưu dự thảo nghị quyết lúc {time}.",
                          "en": "✓ Draft resolution saved at {time}."},
    "ui.circulated_at": {
        "vi": "✓ Đã chuyển dự thảo sang lấy ý kiến lúc {time}. Dự thảo được gửi đi ở lần "
              "đồng bộ tới.",
        "en": "✓ Draft put out for comments at {time}. It is sent with the next sync."},
    "ui.marked_rest_present": {"vi": "✓ Đã ghi có mặt cho {count} đồng chí còn lại.",
                               "en": "✓ {count} remaining members marked present."},
    "ui.nobody_left_to_mark": {"vi": "Mọi đồng chí đều đã được điểm danh.",
                               "en": "Everyone is already marked."},
    "ui.mark_all_present_tip": {
        "vi": "Ghi «Có mặt» cho mọi đồng chí chưa điểm danh, một lần ({shortcut}).",
        "en": "Mark everyone not yet marked as present, in one step ({shortcut})."},
    "ui.exempt_confirm": {
        "vi": "Đồng chí {name} không được miễn sinh hoạt (trạng thái: {status}).\n\n"
              "Vẫn ghi «Miễn sinh hoạt» cho buổi họp này? Người được miễn sinh hoạt không "
              "tính vào số đảng viên phải triệu tập.",
        "en": "{name} is not exempted from Party activities (status: {status}).\n\n"
              "Mark them exempted for this meeting anyway? An exempted member is not counted "
              "among those called."},
    "ui.exempt_anyway": {"vi": "Vẫn ghi miễn sinh hoạt", "en": "Mark exempted anyway"},
    "ui.no_event_possible": {
        "vi": "Không có việc nào ghi được cho đảng viên ở trạng thái «{status}».",
        "en": "No event can be recorded for a member whose status is «{status}»."},
    "ui.adopt_confirm": {
        "vi": "Thông qua nghị quyết số {number} với {votes_for}/{base} phiếu tán thành "
              "(theo biên bản)?\n\nSau khi thông qua, nghị quyết không sửa được nữa.",
        "en": "Adopt resolution {number} with {votes_for} of {base} votes for (as in the "
              "minutes)?\n\nAn adopted resolution can no longer be edited."},
    "ui.res_status.draft": {"vi": "Dự thảo", "en": "Draft"},
    "ui.res_status.circulated": {"vi": "Đang lấy ý kiến", "en": "Circulated"},
    "ui.res_status.adopted": {"vi": "Đã thông qua", "en": "Adopted"},
    "ui.doc_minutes": {"vi": "Biên bản", "en": "Minutes"},
    "ui.doc_resolution": {"vi": "Nghị quyết", "en": "Resolution"},
    "ui.doc_invitation": {"vi": "Giấy mời", "en": "Invitation"},
    "ui.doc_attendance": {"vi": "Danh sách dự họp", "en": "Attendance sheet"},
    "ui.preview_print": {"vi": "Xem trước và &in…", "en": "Pre&view and print…"},
    "ui.save_pdf": {"vi": "Lưu &PDF…", "en": "Save &PDF…"},
    "ui.save_docx": {"vi": "Lưu &DOCX…", "en": "Save &DOCX…"},
    "ui.packet": {"vi": "Tài liệu chữ to cho đảng viên cao tuổi", "en": "Large-type packet"},
    "ui.packet_size": {"vi": "&Cỡ chữ:", "en": "&Size:"},
    "ui.packet_paper": {"vi": "&Khổ giấy:", "en": "&Paper:"},
    "ui.packet_names": {"vi": "Mỗi đảng viên một bản, ghi &tên",
                        "en": "One named copy per &member"},
    "ui.packet_save": {"vi": "Lưu tài liệu chữ &to…", "en": "Save the &packet…"},
    "ui.pdf_filter": {"vi": "Tệp PDF (*.pdf)", "en": "PDF files (*.pdf)"},
    "ui.docx_filter": {"vi": "Tệp Word (*.docx)", "en": "Word files (*.docx)"},
    "ui.meeting_date": {"vi": "&Ngày họp:", "en": "&Date:"},
    "ui.meeting_kind": {"vi": "&Loại:", "en": "&Kind:"},
    "ui.meeting_time": {"vi": "&Giờ bắt đầu:", "en": "&Starts at:"},
    "ui.meeting_place": {"vi": "Đị&a điểm:", "en": "&Place:"},
    "kind.monthly": {"vi": "Thường kỳ hằng tháng", "en": "Monthly"},
    "kind.thematic": {"vi": "Chuyên đề", "en": "Thematic"},
    "ui.no_meeting": {"vi": "Chọn một cuộc họp, hoặc tạo cuộc họp mới.",
                      "en": "Select a meeting, or create one."},
    "ui.tab_details": {"vi": "&Thông tin", "en": "&Details"},
    "ui.meeting_title": {"vi": "&Tên cuộc họp:", "en": "&Title:"},
    "ui.meeting_chair": {"vi": "&Chủ trì:", "en": "&Chair:"},
    "ui.meeting_recorder": {"vi": "Thư &ký:", "en": "&Recorder:"},
    "ui.meeting_guests": {"vi": "&Khách mời:", "en": "&Guests:"},
    "ui.meeting_agenda": {"vi": "Chương trình (&mỗi dòng một mục):",
                          "en": "&Agenda (one item per line):"},
    "ui.save_details": {"vi": "&Lưu thông tin", "en": "&Save details"},
    "ui.nobody": {"vi": "(chưa chọn)", "en": "(none)"},
    "ui.meeting_signer": {"vi": "Bí t&hư chi bộ (người ký):",
                          "en": "Branch secretar&y (signs):"},
    "ui.meeting_same_title_title": {"vi": "Trùng tên cuộc họp", "en": "Same meeting title"},
    "ui.create_anyway": {"vi": "Vẫn tạo", "en": "Create anyway"},
    "ui.save_anyway": {"vi": "Vẫn lưu", "en": "Save anyway"},
    "ui.packet_documents": {"vi": "&Văn bản in kèm:", "en": "&Documents to include:"},
    # --- sync (codes shared with the server's refusals)
    "sync_offline": {"vi": "Không kết nối được máy chủ tỉnh (mất mạng?). Dữ liệu vẫn được giữ "
                           "trên máy; sẽ tự gửi lại khi có mạng.",
                     "en": "Cannot reach the province server (offline?). Your data stays on this "
                           "PC and will be sent when the link is back."},
    "sync_timeout": {"vi": "Máy chủ tỉnh không trả lời kịp (mạng quá chậm). Sẽ thử lại sau.",
                     "en": "The province server did not answer in time (slow link). Will retry."},
    "sync_server_unavailable": {"vi": "Máy chủ tỉnh đang bận hoặc gặp lỗi (mã {status}). "
                                      "Sẽ thử lại sau.",
                                "en": "The province server is busy or failing (status {status}). "
                                      "Will retry."},
    "sync_unauthorized": {"vi": "Máy chủ không nhận ra máy này. Hãy đăng ký lại với mã mới.",
                          "en": "The server does not recognise this PC. Enrol again with a new "
                                "code."},
    "sync_device_revoked": {"vi": "Máy này đã bị thu hồi quyền đồng bộ. Liên hệ cấp trên.",
                            "en": "This PC's sync access was revoked. Contact the level above."},
    "sync_upgrade_required": {"vi": "Phiên bản Sổ tay này đã cũ, máy chủ không nhận. Hãy cập "
                                    "nhật phần mềm; các thay đổi chưa gửi vẫn được giữ.",
                              "en": "This version of Sổ tay is too old for the server. Update "
                                    "it; unsent changes are kept."},
    "sync_not_enrolled": {"vi": "Máy này chưa đăng ký với máy chủ tỉnh (lệnh: sotay enroll).",
                          "en": "This PC is not enrolled with the province server "
                                "(command: sotay enroll)."},
    "sync_no_credential": {"vi": "Không tìm thấy khóa đồng bộ của máy này; hãy đăng ký lại.",
                           "en": "This PC's sync key is missing; enrol again."},
    "sync_bad_url": {"vi": "Địa chỉ máy chủ «{url}» không hợp lệ (cần http:// hoặc https://).",
                     "en": "Server address «{url}» is not valid (needs http:// or https://)."},
    "sync_cancelled": {"vi": "Đã dừng đồng bộ theo yêu cầu.", "en": "Sync cancelled."},
    "sync_disk": {"vi": "Không ghi được tệp tải về ({detail}).",
                  "en": "Could not write a downloaded file ({detail})."},
    "sync_apply_failed": {"vi": "Không áp dụng được dữ liệu nhận về; sẽ thử lại.",
                          "en": "Could not apply the data received; will retry."},
    "sync_bad_code": {"vi": "Mã đăng ký không đúng, đã dùng hoặc đã hết hạn.",
                      "en": "The enrolment code is wrong, used or expired."},
    "sync_too_many_attempts": {"vi": "Nhập sai quá nhiều lần; đợi một phút rồi thử lại.",
                               "en": "Too many attempts; wait a minute and try again."},
    "sync_bad_payload": {"vi": "Dữ liệu gửi lên không hợp lệ.", "en": "Malformed sync data."},
    "sync_too_large": {"vi": "Dữ liệu gửi lên quá lớn.", "en": "Sync data too large."},
    "sync_bad_encoding": {"vi": "Kiểu nén dữ liệu không được hỗ trợ.",
                          "en": "Unsupported content encoding."},
    "sync_unknown_entity": {"vi": "loại dữ liệu không có trên máy chủ",
                            "en": "unknown kind of record"},
    "sync_unknown_field": {"vi": "trường dữ liệu không có trên máy chủ", "en": "unknown field"},
    "sync_bad_type": {"vi": "giá trị sai kiểu", "en": "value of the wrong type"},
    "sync_empty_update": {"vi": "thay đổi rỗng", "en": "empty change"},
    "sync_read_only": {"vi": "dữ liệu của cấp trên, chi bộ không sửa được",
                       "en": "owned by the level above; read-only for the branch"},
    "sync_wrong_unit": {"vi": "thuộc chi bộ khác", "en": "belongs to another branch"},
    "sync_not_found": {"vi": "không còn trên máy chủ", "en": "not on the server"},
    "sync_add_only": {"vi": "lịch sử/ý kiến chỉ được thêm, không sửa",
                      "en": "history and comments can only be added"},
    "sync_bad_op": {"vi": "thao tác không hợp lệ", "en": "invalid operation"},
    "sync_server_error": {"vi": "máy chủ gặp lỗi khi xử lý", "en": "server error"},
    "sync_file_not_found": {"vi": "Tệp không có trên máy chủ.", "en": "File not on the server."},
    "sync_file_missing": {"vi": "Tệp này bị mất trên máy chủ tỉnh (đã báo quản trị); bỏ qua tệp "
                                "này, các tệp khác vẫn đồng bộ.",
                          "en": "This file is missing on the province server (the administrator "
                                "is told); it is skipped, the other files still sync."},
    "sync_files_skipped": {"vi": "{count} tệp không trao đổi được với máy chủ (bị mất trên máy "
                                 "chủ hoặc bị từ chối) nên được bỏ qua; các tệp khác đã đồng bộ, "
                                 "lần sau sẽ thử lại.",
                           "en": "{count} files could not be exchanged with the server (missing "
                                 "there or refused) and were skipped; the other files synced, "
                                 "the next sync tries again."},
    "sync_storage_full": {"vi": "Máy chủ tỉnh đã hết chỗ lưu tệp. Dữ liệu đã được đồng bộ; tệp "
                                "đính kèm sẽ được gửi lại sau.",
                          "en": "The province server has no room left for files. Your records "
                                "have synced; attached files will be sent later."},
    "sync_storage_unavailable": {"vi": "Máy chủ tỉnh tạm thời không lưu được tệp. Dữ liệu đã "
                                       "được đồng bộ; tệp đính kèm sẽ được gửi lại sau.",
                                 "en": "The province server cannot store files for now. Your "
                                       "records have synced; attached files will be sent "
                                       "later."},
    "sync_quota_exceeded": {"vi": "Máy này đã dùng hết dung lượng tệp được cấp trên máy chủ "
                                  "tỉnh. Dữ liệu đã được đồng bộ; tệp đính kèm chờ gửi sau. "
                                  "Hãy báo cấp trên.",
                            "en": "This PC has used up its file space on the province server. "
                                  "Your records have synced; attached files wait. Tell the "
                                  "level above."},
    "server_storage_full": {"vi": "Thư mục tệp của máy chủ đã đầy; không có gì được gửi.",
                            "en": "The server's files folder is full; nothing was sent."},
    "server_storage_unavailable": {"vi": "Không ghi được vào thư mục tệp của máy chủ (chỉ đọc "
                                         "hoặc hỏng); không có gì được gửi.",
                                   "en": "The server's files folder cannot be written "
                                         "(read-only or failing); nothing was sent."},
    "server_quota_exceeded": {"vi": "Đã vượt dung lượng cho phép; không có gì được gửi.",
                              "en": "Over the allowed space; nothing was sent."},
    "sync_bad_sha256": {"vi": "Mã tệp không hợp lệ.", "en": "Invalid file hash."},
    "sync_upload_offset": {"vi": "Vị trí tải lên lệch; tiếp tục từ chỗ máy chủ đã có.",
                           "en": "Upload offset mismatch; resuming from the server's."},
    "sync_file_too_large": {"vi": "Tệp quá lớn để gửi.", "en": "File too large to send."},
    "sync_upload_missing": {"vi": "Chưa có phần nào của tệp trên máy chủ.",
                            "en": "No part of the file is on the server."},
    "sync_hash_mismatch": {"vi": "Tệp gửi lên bị hỏng trên đường truyền; sẽ gửi lại.",
                           "en": "The uploaded file arrived damaged; it will be sent again."},
    "sync_rejected_change": {"vi": "Máy chủ không nhận thay đổi «{what}»: {reason}.",
                             "en": "The server refused the change «{what}»: {reason}."},
    "sync_done": {"vi": "Đã đồng bộ: gửi {pushed}, nhận {pulled} thay đổi; {conflicts} chỗ cần "
                        "xem lại; {files} tệp đang chờ.",
                  "en": "Synced: {pushed} sent, {pulled} received; {conflicts} to review; "
                        "{files} files waiting."},
    "sync_enrolled": {"vi": "Đã đăng ký máy này cho {unit}. {queued} bản ghi sẽ được gửi lên "
                            "trong lần đồng bộ đầu (khóa lưu ở: {store}).",
                      "en": "This PC is enrolled for {unit}. {queued} records will go up at the "
                            "first sync (key kept in: {store})."},
    "sync_clock_skew": {"vi": "Đồng hồ máy này lệch {minutes} phút so với máy chủ; ngày giờ ghi "
                              "trên giấy tờ có thể sai.",
                        "en": "This PC's clock is {minutes} minutes off the server's; dates "
                              "written on documents may be wrong."},
    "conflict_describe": {"vi": "{field} của {record}: {who_current} để «{current}», "
                                "{who_proposed} sửa thành «{proposed}» ({when}).",
                          "en": "{field} of {record}: {who_current} has «{current}», "
                                "{who_proposed} changed it to «{proposed}» ({when})."},
    "conflict_deleted": {"vi": "{record}: {who_current} đã xóa, {who_proposed} lại sửa "
                               "({when}). Giữ bản đã xóa hay khôi phục với nội dung sửa?",
                         "en": "{record}: {who_current} deleted it, {who_proposed} edited it "
                               "({when}). Keep it deleted or restore it with the edit?"},
    "conflict_delete_vs_edit": {"vi": "{record}: {who_proposed} muốn xóa, nhưng {who_current} "
                                      "vừa sửa ({when}). Xóa hay giữ lại?",
                                "en": "{record}: {who_proposed} wants to delete it, but "
                                      "{who_current} just edited it ({when}). Delete or keep?"},
    "conflict_this_pc": {"vi": "máy này", "en": "this PC"},
    "conflict_province": {"vi": "cấp trên", "en": "the level above"},
    "conflict_not_found": {"vi": "không có chỗ cần xem lại mã «{id}»",
                           "en": "no conflict with id «{id}»"},
    "conflict_bad_keep": {"vi": "chọn --keep mine (của máy này) hoặc theirs (của bên kia)",
                          "en": "choose --keep mine or theirs"},
    "conflict_resolved": {"vi": "Đã chọn; lựa chọn sẽ được gửi lên ở lần đồng bộ tới.",
                          "en": "Chosen; the choice goes up at the next sync."},
    "entity.members": {"vi": "đ/c {name}", "en": "comrade {name}"},
    "entity.meetings": {"vi": "cuộc họp ngày {name}", "en": "meeting of {name}"},
    "entity.other": {"vi": "{entity} «{name}»", "en": "{entity} «{name}»"},
    # The record rules (domain.record_rules): why the server refused a change, or why this
    # PC set a pulled row aside. {field} is the field's label.
    "rule.invalid_value": {"vi": "{field} có giá trị không được phép",
                           "en": "{field} has a value that is not allowed"},
    "rule.too_long": {"vi": "{field} dài quá mức cho phép", "en": "{field} is too long"},
    "rule.control_character": {"vi": "{field} có ký tự điều khiển (ký tự ẩn không in được)",
                               "en": "{field} contains a control character"},
    "rule.not_nfc": {"vi": "{field} có chữ tiếng Việt không ở dạng chuẩn (NFC)",
                     "en": "{field} is not in normalised Unicode (NFC)"},
    "rule.date_out_of_range": {"vi": "{field} có ngày ngoài khoảng cho phép",
                               "en": "{field} is a date outside the allowed range"},
    "rule.required": {"vi": "{field} còn để trống", "en": "{field} is empty"},
    "rule.duplicate_value": {"vi": "{field} trùng với một bản ghi khác của chi bộ",
                             "en": "{field} is the same as another record's in the branch"},
    "rule.unknown_reference": {"vi": "{field} chỉ tới một bản ghi không có trong chi bộ",
                               "en": "{field} names a record that is not in the branch"},
    "rule.impossible_history": {"vi": "{field}: lịch sử của đảng viên sẽ không còn hợp lý",
                                "en": "{field}: the member's history would no longer be "
                                      "possible"},
    "sync_quarantined_row": {"vi": "Máy chủ gửi về {what} không hợp lệ ({reason}); máy này để "
                                   "riêng, không ghi vào sổ, và đã báo cấp trên.",
                             "en": "The server sent {what}, which is not valid ({reason}); "
                                   "this PC set it aside, did not write it, and told the "
                                   "level above."},
    "entity_kind.org_units": {"vi": "đơn vị", "en": "unit"},
    "entity_kind.committee_terms": {"vi": "nhiệm kỳ", "en": "committee term"},
    "entity_kind.members": {"vi": "đảng viên", "en": "member"},
    "entity_kind.member_events": {"vi": "sự kiện", "en": "event"},
    "entity_kind.documents": {"vi": "văn bản", "en": "document"},
    "entity_kind.bookmarks": {"vi": "đánh dấu", "en": "bookmark"},
    "entity_kind.meetings": {"vi": "cuộc họp", "en": "meeting"},
    "entity_kind.attendance": {"vi": "điểm danh", "en": "attendance"},
    "entity_kind.minutes": {"vi": "biên bản", "en": "minutes"},
    "entity_kind.resolutions": {"vi": "nghị quyết", "en": "resolution"},
    "entity_kind.tasks": {"vi": "nhiệm vụ", "en": "task"},
    "entity_kind.comments": {"vi": "ý kiến", "en": "comment"},
    "entity_kind.audit_log": {"vi": "nhật ký", "en": "audit entry"},
    "entity_kind.conflicts": {"vi": "xung đột", "en": "conflict"},
    "entity_kind.quarantine_reports": {"vi": "báo cáo bản ghi để riêng",
                                       "en": "report of a set-aside record"},
    "entity.member_events": {"vi": "sự kiện «{kind}» của đ/c {name}",
                             "en": "event «{kind}» of comrade {name}"},
    "bundle_bad": {"vi": "Gói dữ liệu hỏng hoặc không phải gói Sổ tay ({detail}).",
                   "en": "The bundle is damaged or not a Sổ tay bundle ({detail})."},
    "bundle_wrong_kind": {"vi": "Đây không phải loại gói cần nhập ở đây.",
                          "en": "This is not the kind of bundle expected here."},
    "bundle_unknown_device": {"vi": "Gói của một máy không có trên máy chủ.",
                              "en": "The bundle comes from a device unknown to the server."},
    "bundle_bad_signature": {"vi": "Chữ ký của gói không khớp: gói bị sửa hoặc của máy khác.",
                             "en": "The bundle's signature does not match: altered, or from "
                                   "another PC."},
    "bundle_exported": {"vi": "Đã ghi {count} thay đổi vào {path}.",
                        "en": "Wrote {count} changes to {path}."},
    "bundle_imported": {"vi": "Đã nhập gói: {acked} thay đổi được xác nhận, {pulled} thay đổi "
                              "nhận về, {conflicts} chỗ cần xem lại.",
                        "en": "Bundle imported: {acked} confirmed, {pulled} received, "
                              "{conflicts} to review."},
    # --- server admin
    "server_unit_not_found": {"vi": "không có đơn vị mã «{id}»", "en": "no unit «{id}»"},
    "server_bad_level": {"vi": "cấp «{value}» không hợp lệ (chọn: {choices})",
                         "en": "level «{value}» is not valid (choose: {choices})"},
    "server_name_required": {"vi": "cần tên đơn vị", "en": "a name is required"},
    "server_parent_required": {"vi": "đơn vị cấp {level} cần --parent",
                               "en": "a {level} unit needs --parent"},
    "server_parent_is_branch": {"vi": "chi bộ không có đơn vị cấp dưới",
                                "en": "a branch has no units below it"},
    "server_enroll_branch_only": {"vi": "chỉ đăng ký máy cho chi bộ",
                                  "en": "devices are enrolled for branches only"},
    "server_bad_code": {"vi": "mã đăng ký không đúng, đã dùng hoặc đã hết hạn",
                        "en": "wrong, used or expired code"},
    "server_device_not_found": {"vi": "không có máy mã «{id}»", "en": "no device «{id}»"},
    "server_no_branches": {"vi": "không có chi bộ nào dưới đơn vị «{id}»",
                           "en": "no branches under unit «{id}»"},
    "server_file_missing": {"vi": "không có tệp {path}", "en": "no file {path}"},
    "server_record_not_found": {"vi": "không có bản ghi «{id}»", "en": "no record «{id}»"},
    "server_bad_username": {"vi": "tên đăng nhập chỉ gồm chữ, số và . _ - (tối đa 64 ký tự)",
                            "en": "a username has letters, digits and . _ - only (64 at most)"},
    "server_password_short": {"vi": "mật khẩu cần ít nhất {min} ký tự",
                              "en": "the password needs at least {min} characters"},
    "server_staff_not_branch": {"vi": "tài khoản cán bộ thuộc cấp tỉnh hoặc xã, không thuộc chi bộ",
                                "en": "staff accounts belong to a province or commune, "
                                      "not a branch"},
    "server_username_taken": {"vi": "đã có tài khoản «{username}»",
                              "en": "the account «{username}» exists"},
    "server_user_not_found": {"vi": "không có tài khoản «{username}»",
                              "en": "no account «{username}»"},
    "server_comment_closed": {"vi": "nghị quyết đã được thông qua, không còn nhận góp ý",
                              "en": "the resolution is adopted; comments are closed"},
    "server_comment_empty": {"vi": "chưa nhập nội dung góp ý", "en": "the comment is empty"},
    "server_comment_long": {"vi": "góp ý dài quá {max} ký tự",
                            "en": "the comment is longer than {max} characters"},
    "server_bad_text": {"vi": "ô «{field}» có ký tự điều khiển không hợp lệ; gõ lại ô đó",
                        "en": "the field «{field}» has a control character; type it again"},
    "server_bad_date": {"vi": "ngày «{value}» không hợp lệ (dạng YYYY-MM-DD)",
                        "en": "«{value}» is not a date (YYYY-MM-DD)"},
    "server_report_format": {"vi": "tệp báo cáo phải có đuôi .xlsx hoặc .pdf",
                             "en": "the report file must end in .xlsx or .pdf"},
    "server_password_file": {"vi": "không đọc được tệp mật khẩu {path}",
                             "en": "cannot read the password file {path}"},
    # --- the Sync screen
    "ui.nav_sync": {"vi": "Đồn&g bộ", "en": "S&ync"},
    "ui.sync_title": {"vi": "Đồng bộ với máy chủ tỉnh", "en": "Sync with the province server"},
    "ui.sync_not_enrolled": {"vi": "Máy này chưa đăng ký với máy chủ tỉnh. Nhập địa chỉ và mã "
                                   "đăng ký do cấp trên cấp.",
                             "en": "This PC is not enrolled. Enter the address and the code "
                                   "given by the level above."},
    "ui.sync_waiting": {"vi": "Sẵn sàng đồng bộ.", "en": "Ready to sync."},
    "ui.sync_running": {"vi": "Đang đồng bộ…", "en": "Syncing…"},
    "ui.sync_ok": {"vi": "Đã đồng bộ lúc {time}.", "en": "Synced at {time}."},
    "ui.sync_retry": {"vi": "{reason} Sẽ thử lại lúc {time}.",
                      "en": "{reason} Will retry at {time}."},
    "ui.sync_now": {"vi": "Đồng bộ &ngay", "en": "Sync &now"},
    "ui.sync_cancel": {"vi": "&Dừng", "en": "S&top"},
    "ui.sync_enroll_title": {"vi": "Đăng ký máy này", "en": "Enrol this PC"},
    "ui.sync_server": {"vi": "Địa chỉ &máy chủ:", "en": "&Server address:"},
    "ui.sync_code": {"vi": "Mã đăng &ký:", "en": "Enrolment &code:"},
    "ui.sync_enroll": {"vi": "Đăng &ký", "en": "&Enrol"},
    "ui.sync_never": {"vi": "chưa bao giờ", "en": "never"},
    "ui.sync_facts": {"vi": "Máy chủ: {server} · Lần đồng bộ cuối: {last} · {pending} thay đổi "
                            "chờ gửi · {files} tệp đang chờ",
                      "en": "Server: {server} · Last sync: {last} · {pending} changes waiting · "
                            "{files} files waiting"},
    # The convergence check at the end of each sync (services/convergence.py).
    "ui.sync_check_match": {"vi": "Đối chiếu với máy chủ lúc {at}: dữ liệu khớp.",
                            "en": "Checked against the server at {at}: the data matches."},
    "ui.sync_check_repaired": {
        "vi": "Đối chiếu lúc {at}: dữ liệu trên máy đã lệch với máy chủ ở phần {entities}; "
              "đã tải lại từ máy chủ và sửa {fixed} dòng, thay đổi chưa gửi vẫn giữ nguyên.",
        "en": "Checked at {at}: this PC's data differed from the server's in {entities}; "
              "{fixed} rows were fetched again and repaired, changes not yet sent were kept."},
    "ui.sync_check_repaired_unconfirmed": {
        "vi": "Đối chiếu lúc {at}: dữ liệu trên máy đã lệch với máy chủ ở phần {entities}; "
              "đã sửa {fixed} dòng, lần đồng bộ sau sẽ đối chiếu lại.",
        "en": "Checked at {at}: this PC's data differed from the server's in {entities}; "
              "{fixed} rows were repaired, the next sync checks again."},
    "ui.sync_check_unrepaired": {
        "vi": "Đối chiếu lúc {at}: dữ liệu trên máy vẫn lệch với máy chủ ở phần {entities}. "
              "Cấp trên đã được báo; lần đồng bộ sau sẽ thử sửa lại.",
        "en": "Checked at {at}: this PC's data still differs from the server's in {entities}. "
              "The upper level has been told; the next sync tries to repair it again."},
    "ui.sync_conflicts": {"vi": "Cần xem lại: {count}", "en": "To review: {count}"},
    "ui.sync_conflicts_name": {"vi": "Những chỗ cần xem lại", "en": "Conflicts to review"},
    "ui.sync_notices_name": {"vi": "Thay đổi bị từ chối và bản ghi để riêng",
                             "en": "Refused changes and set-aside records"},
    "ui.sync_keep_mine": {"vi": "Giữ của &máy này", "en": "Keep &mine"},
    "ui.sync_keep_theirs": {"vi": "Giữ của &bên kia", "en": "Keep &theirs"},
    "ui.sync_confirm_keep": {"vi": "{text}\n\nGiữ «{value}»?", "en": "{text}\n\nKeep «{value}»?"},
    "ui.sync_stage_records": {"vi": "Dữ liệu", "en": "Records"},
    "ui.sync_stage_download": {"vi": "Tải tệp", "en": "Downloading"},
    "ui.sync_stage_upload": {"vi": "Gửi tệp", "en": "Uploading"},
    "ui.sync_short_not_enrolled": {"vi": "Chưa đăng ký máy chủ tỉnh",
                                   "en": "Not enrolled with the province server"},
    "ui.sync_short_offline": {"vi": "Mất kết nối, sẽ thử lại", "en": "Offline, will retry"},
    "ui.sync_short_stopped": {"vi": "Đồng bộ đã dừng (xem mục Đồng bộ)",
                              "en": "Sync stopped (see Sync)"},
    "ui.sync_status_bar": {"vi": "{state} · {pending} thay đổi chờ gửi",
                           "en": "{state} · {pending} changes waiting"},
    # --- login and lock
    "ui.login_title": {"vi": "Sổ tay – mở hồ sơ", "en": "Sổ tay – open profile"},
    "ui.login_user": {"vi": "&Người dùng:", "en": "&User:"},
    "ui.login_branch": {"vi": "&Chi bộ:", "en": "&Branch:"},
    "ui.login_lost": {"vi": "Quên cả mật khẩu và mã khôi phục…",
                      "en": "Lost both the password and the recovery code…"},
    "ui.login_lost_question": {
        "vi": "Không ai mở lại được dữ liệu trên máy này nữa. {pending} thay đổi chưa gửi lên "
              "máy chủ tỉnh sẽ mất (lần đồng bộ cuối: {last}). Những gì đã đồng bộ vẫn còn trên "
              "máy chủ: xin mã đăng ký mới ở cấp trên, tạo lại chi bộ và đăng ký máy, dữ liệu "
              "sẽ tải về. Thư mục cũ được đổi tên, không bị xóa. Tiếp tục?",
        "en": "Nobody can open the data on this PC any more. {pending} changes not yet sent to "
              "the province will be lost (last sync: {last}). What was synced is still on the "
              "server: ask for a new enrolment code, set up the branch again and enrol; the "
              "data comes back. The old folder is renamed, not deleted. Go on?"},
    "ui.login_lost_done": {"vi": "Đã cất thư mục cũ ở {path}. Mở lại Sổ tay để bắt đầu lại.",
                           "en": "The old folder is kept at {path}. Open Sổ tay again to start "
                                 "over."},
    "ui.login_password": {"vi": "&Mật khẩu:", "en": "&Password:"},
    "ui.login_open": {"vi": "&Mở", "en": "&Open"},
    "ui.login_wait": {"vi": "Hãy đợi {seconds} giây rồi thử lại.",
                      "en": "Wait {seconds} seconds, then try again."},
    "ui.lock": {"vi": "&Khóa màn hình", "en": "&Lock"},
    # --- first run with a password
    "ui.first_run_protect": {
        "vi": "&Bảo vệ bằng mật khẩu (nên dùng khi nhiều người dùng chung máy)",
        "en": "&Protect with a password (advised on a shared PC)"},
    "ui.first_run_again": {"vi": "Nhập &lại mật khẩu:", "en": "Password &again:"},
    "ui.first_run_mismatch": {"vi": "Hai lần nhập mật khẩu không giống nhau.",
                              "en": "The two passwords differ."},
    "ui.recovery_title": {"vi": "Mã khôi phục", "en": "Recovery code"},
    "ui.recovery_intro": {"vi": "Dữ liệu của {branch} đã được mã hóa. Nếu quên mật khẩu, chỉ "
                                "mã dưới đây mở lại được. Hãy in ra, cất vào hồ sơ chi bộ. Mã "
                                "chỉ hiện một lần.",
                          "en": "The data of {branch} is encrypted. If the password is "
                                "forgotten, only this code opens it again. Print it and keep it "
                                "in the branch's files. It is shown only once."},
    "ui.recovery_save": {"vi": "&Lưu trang để in (PDF)…", "en": "&Save a page to print (PDF)…"},
    "ui.recovery_done": {"vi": "Tôi đã &cất mã", "en": "I have &kept the code"},
    # --- backups
    "ui.backup": {"vi": "&Sao lưu…", "en": "&Back up…"},
    "ui.backup_running": {"vi": "Đang sao lưu…", "en": "Backing up…"},
    "ui.backup_skipped": {"vi": "Chưa sao lưu định kỳ: không thấy thư mục {path} (cắm USB?).",
                          "en": "Weekly backup skipped: {path} not found (USB stick?)."},
    "backup_bad": {"vi": "Bản sao lưu {path} bị hỏng hoặc bị sửa ({detail}); không khôi phục.",
                   "en": "The backup {path} is damaged or altered ({detail}); not restored."},
    "restore_not_empty": {"vi": "Thư mục {path} đã có dữ liệu; hãy khôi phục vào thư mục trống.",
                          "en": "{path} already holds data; restore into an empty folder."},
    "backup_done": {"vi": "Đã sao lưu vào {path}.", "en": "Backed up to {path}."},
    # --- faults of the PC's disks (sotay_desktop/db/faults.py)
    "disk_full": {"vi": "Ổ đĩa đã đầy ({path}): chưa ghi được gì. Hãy xoá bớt tệp hoặc chọn ổ "
                        "khác rồi làm lại; dữ liệu đã lưu trước đó không mất.",
                  "en": "The disk is full ({path}): nothing was written. Free some space or "
                        "choose another drive, then try again; data saved before is not lost."},
    "disk_gone": {"vi": "Không thấy ổ đĩa ở {path} (USB đã bị rút ra?). Hãy cắm lại rồi làm lại.",
                  "en": "The drive at {path} is gone (USB stick pulled out?). Plug it in again "
                        "and retry."},
    "disk_io": {"vi": "Lỗi đọc/ghi ổ đĩa ở {path} (USB lỏng hoặc hỏng?). Hãy thử lại hoặc dùng "
                      "ổ khác.",
                "en": "Read/write error on the drive at {path} (a loose or failing USB "
                      "stick?). Try again or use another drive."},
    "disk_place_unknown": {"vi": "ổ chứa dữ liệu", "en": "the data drive"},
    "file_missing": {"vi": "Không thấy tệp {path}.", "en": "File {path} not found."},
    "file_error": {"vi": "Không đọc/ghi được {path} ({detail}).",
                   "en": "Cannot read or write {path} ({detail})."},
    "backup_target_missing": {
        "vi": "Không thấy thư mục {path} (USB đã cắm chưa?); chưa sao lưu gì. Sổ tay không tự "
              "tạo thư mục đích.",
        "en": "Folder {path} not found (is the USB stick plugged in?); nothing was backed up. "
              "Sổ tay does not create the target folder itself."},
    "backup_missing": {"vi": "Không thấy bản sao lưu ở {path}.", "en": "No backup at {path}."},
    "profile_cost": {
        "vi": "Tệp hồ sơ bảo mật đòi mức tính khóa bất thường ({detail}); có thể đã bị sửa. "
              "Không mở.",
        "en": "The profile file asks for an unusual key-derivation cost ({detail}); it may "
              "have been altered. Not opened."},
    "db_check_unopened": {
        "vi": "Không mở được tệp để kiểm tra: {reason}",
        "en": "The file could not be opened for the check: {reason}"},
    "db_check_page": {"vi": "trang {page} bị hỏng hoặc bị sửa (mã xác thực của trang sai)",
                      "en": "page {page} is damaged or altered (its HMAC does not match)"},
    "db_check_stopped": {"vi": "phép kiểm tra {check} dừng giữa chừng vì tệp hỏng: {detail}",
                         "en": "the {check} check stopped half-way on a damaged file: {detail}"},
    "db_check_more": {"vi": "… và {count} dòng nữa", "en": "… and {count} more lines"},
    # --- audit log
    "ui.close": {"vi": "Đón&g", "en": "&Close"},
    "ui.audit_menu": {"vi": "&Nhật ký truy cập…", "en": "Access &log…"},
    "ui.audit_title": {"vi": "Nhật ký: ai xem, sửa, xuất, in dữ liệu",
                       "en": "Log: who viewed, changed, exported, printed"},
    "ui.audit_when": {"vi": "Lúc", "en": "When"},
    "ui.audit_who": {"vi": "Ai", "en": "Who"},
    "ui.audit_action": {"vi": "Việc", "en": "Action"},
    "ui.audit_what": {"vi": "Loại dữ liệu", "en": "Record"},
    "ui.audit_fields": {"vi": "Trường", "en": "Fields"},
    "ui.audit_export": {"vi": "&Xuất CSV…", "en": "&Export CSV…"},
    "audit.view": {"vi": "xem", "en": "viewed"},
    "audit.change": {"vi": "sửa", "en": "changed"},
    "audit.export": {"vi": "xuất", "en": "exported"},
    "audit.print": {"vi": "in", "en": "printed"},
    "audit_intact": {"vi": "Nhật ký nguyên vẹn.", "en": "The audit log is intact."},
    "audit_what.changed": {"vi": "nội dung bị sửa", "en": "changed"},
    "audit_what.missing before": {"vi": "thiếu hoặc thêm dòng ngay trước",
                                  "en": "a row missing or inserted before it"},
    "audit_what.missing at the end": {"vi": "các dòng cuối đã được máy chủ xác nhận bị xoá",
                                      "en": "rows the server confirmed were removed from the end"},
    "audit_broken": {"vi": "Nhật ký bị can thiệp: máy {pc}, dòng {seq} ({what}).",
                     "en": "The audit log was tampered with: PC {pc}, row {seq} ({what})."},
    "audit_what.cut at the end": {
        "vi": "các dòng cuối bị xoá (dấu cuối nhật ký lưu ngoài tệp dữ liệu ghi tới dòng này)",
        "en": "rows removed from the end (the log's end mark kept outside the data file "
              "reaches this row)"},
    "audit_what.rewritten": {
        "vi": "chuỗi đã bị tính lại: không khớp dấu cuối nhật ký lưu ngoài tệp dữ liệu",
        "en": "the chain was recomputed: it does not match the end mark kept outside the "
              "data file"},
    "audit_what.end mark missing": {
        "vi": "mất tệp dấu cuối nhật ký (audit-head.json) mà dữ liệu cho biết đã có",
        "en": "the log's end mark file (audit-head.json) is gone, though the data says it "
              "existed"},
    "audit_what.end mark forged": {
        "vi": "tệp dấu cuối nhật ký bị sửa (chữ ký không đúng) hoặc của máy khác",
        "en": "the log's end mark file was altered (bad signature) or is another PC's"},
    # --- encrypted profiles
    "profile_locked": {"vi": "Dữ liệu trong {path} được mã hóa; cần mật khẩu (--password-file "
                             "hoặc biến SOTAY_PASSWORD).",
                       "en": "The data in {path} is encrypted; a password is needed "
                             "(--password-file or SOTAY_PASSWORD)."},
    "profile_wrong_password": {"vi": "Mật khẩu không đúng.", "en": "Wrong password."},
    "profile_wrong_recovery": {"vi": "Mã khôi phục không đúng.", "en": "Wrong recovery code."},
    "profile_damaged": {"vi": "Tệp hồ sơ bảo mật bị hỏng ({detail}).",
                        "en": "The profile file is damaged ({detail})."},
    "profile_exists": {"vi": "Thư mục {path} đã có hồ sơ.", "en": "{path} already has a profile."},
    "profile_user_exists": {"vi": "Đã có người dùng {user}; đổi mật khẩu bằng lệnh passwd.",
                            "en": "User {user} exists; use passwd to change the password."},
    "profile_password_set": {"vi": "Đã đặt mật khẩu mới cho {user}; dữ liệu giữ nguyên.",
                             "en": "New password set for {user}; the data is unchanged."},
    "password_too_short": {"vi": "Mật khẩu cần ít nhất {minimum} ký tự.",
                           "en": "The password needs at least {minimum} characters."},
    "db_wrong_key": {"vi": "Không mở được dữ liệu {path}: khóa không đúng (tệp của máy hoặc "
                           "hồ sơ khác?) hoặc tệp bị hỏng.",
                     "en": "Cannot open {path}: wrong key (a file from another PC or "
                           "profile?) or a damaged file."},
    "db_not_encrypted": {"vi": "Tệp {path} chưa được mã hóa.", "en": "{path} is not encrypted."},
    "password_missing": {"vi": "Cần mật khẩu: --password-file TỆP hoặc biến SOTAY_PASSWORD "
                               "(không nhận mật khẩu trên dòng lệnh).",
                         "en": "A password is needed: --password-file FILE or SOTAY_PASSWORD "
                               "(never on the command line)."},
    "profile_created": {"vi": "Đã tạo hồ sơ mã hóa. MÃ KHÔI PHỤC (in ra, cất vào hồ sơ chi "
                              "bộ; chỉ hiện một lần): {recovery}",
                        "en": "Encrypted profile created. RECOVERY CODE (print it, keep it in "
                              "the branch's files; shown once): {recovery}"},
    # --- command-line help (sotay --help, sotay-desktop --help)
    "cli.description": {"vi": "Sổ tay bí thư chi bộ: các việc làm được không cần mở cửa sổ.",
                        "en": "Sổ tay, the branch secretary's handbook: work done without the "
                              "window."},
    "cli.window_description": {"vi": "Sổ tay bí thư chi bộ.",
                               "en": "Sổ tay, the branch secretary's handbook."},
    "cli.lang": {"vi": "ngôn ngữ: vi (tiếng Việt) hoặc en (tiếng Anh); mặc định theo biến "
                       "SOTAY_LANG",
                 "en": "language: vi (Vietnamese) or en (English); default from SOTAY_LANG"},
    "cli.data_dir": {"vi": "thư mục dữ liệu của chi bộ (mặc định: %(default)s)",
                     "en": "the branch's data folder (default: %(default)s)"},
    "cli.window_data_dir": {"vi": "thư mục dữ liệu của chi bộ",
                            "en": "the branch's data folder"},
    "cli.window_demo": {"vi": "tạo chi bộ mẫu nếu thư mục dữ liệu còn trống",
                        "en": "create a demo branch if the data folder is empty"},
    "cli.window_scale": {"vi": "cỡ chữ, ví dụ 1.5 (chữ to) hoặc 2 (chữ rất to)",
                         "en": "type size, e.g. 1.5 (large) or 2 (very large)"},
    "cli.password_file": {"vi": "tệp chứa mật khẩu của hồ sơ mã hóa (hoặc biến SOTAY_PASSWORD)",
                          "en": "file holding the password of an encrypted profile (or "
                                "SOTAY_PASSWORD)"},
    "cli.json": {"vi": "in kết quả dạng JSON", "en": "print the result as JSON"},
    "cli.demo": {"vi": "tạo chi bộ mẫu để tập dùng", "en": "create a demo branch to practise on"},
    "cli.demo_members": {"vi": "số đảng viên (mặc định: %(default)s)",
                         "en": "number of members (default: %(default)s)"},
    "cli.demo_documents": {"vi": "số văn bản (mặc định: %(default)s)",
                           "en": "number of documents (default: %(default)s)"},
    "cli.demo_meetings": {"vi": "số cuộc họp (mặc định: %(default)s)",
                          "en": "number of meetings (default: %(default)s)"},
    "cli.demo_seed": {"vi": "số khởi tạo ngẫu nhiên: cùng số thì ra cùng chi bộ (mặc định: "
                            "%(default)s)",
                      "en": "random seed: the same seed makes the same branch (default: "
                            "%(default)s)"},
    "cli.as_of": {"vi": "ngày tham chiếu YYYY-MM-DD (mặc định: hôm nay)",
                  "en": "reference date YYYY-MM-DD (default: today)"},
    "cli.profile_user": {"vi": "tên người dùng của hồ sơ mã hóa (mặc định: %(default)s)",
                         "en": "user name in the encrypted profile (default: %(default)s)"},
    "cli.members": {"vi": "đảng viên: xem, thêm, sửa, ghi quá trình, nhập và xuất danh sách",
                    "en": "members: list, show, add, update, record events, import, export"},
    "cli.members_list": {"vi": "danh sách đảng viên", "en": "list the members"},
    "cli.search": {"vi": "tìm theo tên, không cần dấu", "en": "search by name; tone marks "
                                                             "optional"},
    "cli.status": {"vi": "lọc theo trạng thái, ví dụ official,probationary",
                   "en": "filter by status, e.g. official,probationary"},
    "cli.members_show": {"vi": "lý lịch và quá trình sinh hoạt Đảng của một đảng viên",
                         "en": "one member's record and history"},
    "cli.member_id": {"vi": "mã đảng viên (xem bằng «members list»)",
                      "en": "the member's id (see «members list»)"},
    "cli.members_add": {"vi": "thêm một đảng viên từ tệp JSON", "en": "add a member from a "
                                                                       "JSON file"},
    "cli.json_file": {"vi": "tệp JSON (mặc định: đọc từ đầu vào chuẩn)",
                      "en": "JSON file (default: read standard input)"},
    "cli.members_update": {"vi": "sửa thông tin một đảng viên từ tệp JSON",
                           "en": "update a member from a JSON file"},
    "cli.members_event": {"vi": "ghi một việc vào quá trình sinh hoạt Đảng (không sửa, xoá "
                                "được sau khi ghi)",
                          "en": "record an event in a member's history (it cannot be edited "
                                "or deleted afterwards)"},
    "cli.event_kind": {"vi": "loại việc, ví dụ made_official, temp_out, deceased",
                       "en": "kind of event, e.g. made_official, temp_out, deceased"},
    "cli.event_date": {"vi": "ngày của việc, ví dụ 2026-03-05",
                       "en": "date of the event, e.g. 2026-03-05"},
    "cli.event_decision": {"vi": "số quyết định", "en": "decision number"},
    "cli.event_place": {"vi": "nơi chuyển đến hoặc chuyển đi", "en": "where from or to"},
    "cli.event_detail": {"vi": "lý do, ghi chú", "en": "reason, notes"},
    "cli.members_import": {"vi": "nhập danh sách đảng viên từ tệp bảng tính",
                           "en": "import members from a spreadsheet file"},
    "cli.import_file": {"vi": "tệp cần nhập", "en": "the file to import"},
    "cli.dry_run": {"vi": "chỉ kiểm tra, không nhập", "en": "check only; import nothing"},
    "cli.members_export": {"vi": "xuất sổ danh sách đảng viên (Mẫu 7-HSĐV) ra tệp XLSX",
                           "en": "export the roster (official form Mẫu 7-HSĐV) to an XLSX "
                                 "file"},
    "cli.output": {"vi": "tệp kết quả", "en": "output file"},
    "cli.meeting": {"vi": "sinh hoạt chi bộ: các cuộc họp và văn bản của chúng",
                    "en": "branch meetings and their papers"},
    "cli.meeting_list": {"vi": "danh sách các cuộc họp", "en": "list the meetings"},
    "cli.meeting_export": {"vi": "xuất biên bản, nghị quyết, giấy mời hoặc danh sách điểm danh",
                           "en": "export the minutes, resolution, invitation or attendance "
                                 "list"},
    "cli.meeting_id": {"vi": "mã cuộc họp (xem bằng «meeting list»)",
                       "en": "the meeting's id (see «meeting list»)"},
    "cli.what": {"vi": "văn bản cần xuất", "en": "which paper"},
    "cli.format": {"vi": "định dạng tệp (mặc định: %(default)s)",
                   "en": "file format (default: %(default)s)"},
    "cli.packet": {"vi": "tài liệu chữ to cho đảng viên cao tuổi",
                   "en": "large-type packet for elderly members"},
    "cli.font_size": {"vi": "cỡ chữ, điểm (mặc định: %(default)s)",
                      "en": "type size in points (default: %(default)s)"},
    "cli.packet_members": {"vi": "all, hoặc mã các đảng viên cách nhau dấu phẩy: in mỗi người "
                                 "một bản có tên",
                           "en": "all, or member ids separated by commas: one named copy "
                                 "each"},
    "cli.packet_documents": {"vi": "mã các văn bản cần in kèm, cách nhau dấu phẩy",
                             "en": "ids of documents to include, separated by commas"},
    "cli.paper": {"vi": "khổ giấy (mặc định: %(default)s)", "en": "paper size (default: "
                                                                  "%(default)s)"},
    "cli.db": {"vi": "kiểm tra tệp dữ liệu", "en": "check the data file"},
    "cli.db_check": {"vi": "kiểm tra tệp dữ liệu có nguyên vẹn không",
                     "en": "check that the data file is intact"},
    "cli.enroll": {"vi": "đăng ký máy này với máy chủ tỉnh",
                   "en": "enrol this PC with the province's server"},
    "cli.server": {"vi": "địa chỉ máy chủ, ví dụ https://…", "en": "server address, e.g. "
                                                                 "https://…"},
    "cli.code": {"vi": "mã đăng ký dùng một lần, do cấp trên cấp",
                 "en": "one-time enrolment code from the level above"},
    "cli.label": {"vi": "tên máy này (mặc định: tên máy tính)",
                  "en": "name of this PC (default: the computer's name)"},
    "cli.sync": {"vi": "đồng bộ với máy chủ tỉnh", "en": "sync with the province's server"},
    "cli.no_files": {"vi": "chỉ dữ liệu, không tải tệp", "en": "data only; no files"},
    "cli.conflicts": {"vi": "những chỗ cần xem lại sau đồng bộ",
                      "en": "what needs a second look after a sync"},
    "cli.conflicts_list": {"vi": "danh sách những chỗ cần xem lại", "en": "list them"},
    "cli.conflicts_resolve": {"vi": "chọn giá trị giữ lại cho một chỗ cần xem lại",
                              "en": "choose the value to keep for one of them"},
    "cli.conflict_id": {"vi": "mã của chỗ cần xem lại", "en": "its id"},
    "cli.keep": {"vi": "giữ giá trị của máy này (mine) hay của bên kia (theirs)",
                 "en": "keep this PC's value (mine) or the other one (theirs)"},
    "cli.profile": {"vi": "hồ sơ mã hóa: tạo, đổi mật khẩu, thêm người dùng",
                    "en": "encrypted profile: create it, change passwords, add users"},
    "cli.profile_create": {"vi": "bảo vệ thư mục dữ liệu bằng mật khẩu",
                           "en": "protect the data folder with a password"},
    "cli.profile_passwd": {"vi": "đặt mật khẩu mới (hoặc bằng mã khôi phục)",
                           "en": "set a new password (or with the recovery code)"},
    "cli.new_password_file": {"vi": "tệp chứa mật khẩu mới", "en": "file holding the new "
                                                                    "password"},
    "cli.recovery_file": {"vi": "tệp chứa mã khôi phục, khi quên mật khẩu",
                          "en": "file holding the recovery code, when the password is lost"},
    "cli.profile_adduser": {"vi": "thêm người dùng (phó bí thư) với mật khẩu riêng",
                            "en": "add a user (a deputy) with their own password"},
    "cli.new_user": {"vi": "tên người dùng mới", "en": "the new user's name"},
    "cli.role": {"vi": "vai trò (mặc định: %(default)s)", "en": "role (default: %(default)s)"},
    "cli.backup": {"vi": "sao lưu (mã hóa nếu hồ sơ mã hóa) vào một thư mục hoặc ổ USB",
                   "en": "back up (encrypted if the profile is) to a folder or USB stick"},
    "cli.backup_output": {"vi": "thư mục đích, ví dụ ổ USB; phải có sẵn",
                          "en": "target folder, e.g. a USB stick; it must exist"},
    "cli.restore": {"vi": "khôi phục một bản sao lưu vào thư mục trống",
                    "en": "restore a backup into an empty folder"},
    "cli.backup_file": {"vi": "bản sao lưu cần khôi phục", "en": "the backup to restore"},
    "cli.audit": {"vi": "nhật ký ai đã xem, sửa, xuất, in dữ liệu đảng viên",
                  "en": "log of who viewed, changed, exported or printed member data"},
    "cli.audit_list": {"vi": "xem nhật ký, mới nhất trước", "en": "show the log, newest "
                                                                  "first"},
    "cli.limit": {"vi": "số dòng nhiều nhất (mặc định: %(default)s)",
                  "en": "at most this many lines (default: %(default)s)"},
    "cli.audit_verify": {"vi": "kiểm tra nhật ký không bị sửa, xoá",
                         "en": "check that the log was not altered or cut"},
    "cli.audit_export": {"vi": "xuất nhật ký ra tệp CSV", "en": "export the log to a CSV file"},
    "cli.bundle": {"vi": "gói dữ liệu chép qua USB khi không có mạng",
                   "en": "data bundles carried on a USB stick when there is no network"},
    "cli.bundle_export": {"vi": "tạo gói dữ liệu để gửi lên cấp trên",
                          "en": "make a bundle to send to the level above"},
    "cli.bundle_import": {"vi": "nhận một gói dữ liệu", "en": "take in a bundle"},
    "cli.bundle_file": {"vi": "tệp gói dữ liệu", "en": "the bundle file"},
    # --- argparse's own words (sotay_desktop/argparse_i18n.py); "en" is argparse's text
    "argparse.usage": {"vi": "cách dùng: ", "en": "usage: "},
    "argparse.options": {"vi": "tuỳ chọn", "en": "options"},
    "argparse.positionals": {"vi": "tham số", "en": "positional arguments"},
    "argparse.subcommands": {"vi": "lệnh", "en": "subcommands"},
    "argparse.help": {"vi": "hiện hướng dẫn này rồi thoát", "en": "show this help message and "
                                                                  "exit"},
    "argparse.version": {"vi": "hiện số phiên bản rồi thoát",
                         "en": "show program's version number and exit"},
    "argparse.error": {"vi": "%(prog)s: lỗi: %(message)s\n", "en": "%(prog)s: error: "
                                                                  "%(message)s\n"},
    "argparse.argument": {"vi": "tham số %(argument_name)s: %(message)s",
                          "en": "argument %(argument_name)s: %(message)s"},
    "argparse.required": {"vi": "còn thiếu: %s", "en": "the following arguments are required: "
                                                      "%s"},
    "argparse.one_required": {"vi": "cần một trong các tham số %s",
                              "en": "one of the arguments %s is required"},
    "argparse.unrecognized": {"vi": "không hiểu: %s", "en": "unrecognized arguments: %s"},
    "argparse.not_allowed": {"vi": "không dùng cùng được với %s",
                             "en": "not allowed with argument %s"},
    "argparse.ignored": {"vi": "bỏ qua giá trị %r", "en": "ignored explicit argument %r"},
    "argparse.expected_one": {"vi": "cần một giá trị", "en": "expected one argument"},
    "argparse.expected_at_most_one": {"vi": "cần nhiều nhất một giá trị",
                                      "en": "expected at most one argument"},
    "argparse.expected_at_least_one": {"vi": "cần ít nhất một giá trị",
                                       "en": "expected at least one argument"},
    "argparse.expected_n": {"vi": "cần %s giá trị", "en": "expected %s arguments"},
    "argparse.ambiguous": {"vi": "tuỳ chọn %(option)s không rõ: có thể là %(matches)s",
                           "en": "ambiguous option: %(option)s could match %(matches)s"},
    "argparse.unexpected": {"vi": "không chờ tuỳ chọn %s", "en": "unexpected option string: "
                                                               "%s"},
    "argparse.invalid_type": {"vi": "giá trị %(type)s không hợp lệ: %(value)r",
                              "en": "invalid %(type)s value: %(value)r"},
    "argparse.invalid_choice": {"vi": "%(value)r không hợp lệ (chọn một trong: %(choices)s)",
                                "en": "invalid choice: %(value)r (choose from %(choices)s)"},
    "argparse.cannot_open": {"vi": "không mở được '%(filename)s': %(error)s",
                             "en": "can't open '%(filename)s': %(error)s"},
    "argparse.unknown_parser": {"vi": "không có lệnh %(parser_name)r (các lệnh: %(choices)s)",
                                "en": "unknown parser %(parser_name)r (choices: %(choices)s)"},
    # --- words used in messages
    "member": {"vi": "đảng viên", "en": "member"},
}

# What each synced table holds, as the access log shows it.
_TABLE_LABELS: dict[str, dict[str, str]] = {
    "org_units": {"vi": "Tổ chức đảng", "en": "Party units"},
    "committee_terms": {"vi": "Cấp ủy", "en": "Committee terms"},
    "members": {"vi": "Đảng viên", "en": "Members"},
    "member_events": {"vi": "Quá trình sinh hoạt", "en": "Members' histories"},
    "documents": {"vi": "Văn bản", "en": "Documents"},
    "bookmarks": {"vi": "Đánh dấu đọc sau", "en": "Read-later marks"},
    "meetings": {"vi": "Cuộc họp", "en": "Meetings"},
    "attendance": {"vi": "Điểm danh", "en": "Attendance"},
    "minutes": {"vi": "Biên bản", "en": "Minutes"},
    "resolutions": {"vi": "Nghị quyết", "en": "Resolutions"},
    "tasks": {"vi": "Nhiệm vụ", "en": "Tasks"},
    "comments": {"vi": "Ý kiến", "en": "Comments"},
    "audit_log": {"vi": "Nhật ký truy cập", "en": "Access log"},
    "conflicts": {"vi": "Chỗ cần xem lại", "en": "Conflicts"},
}


def table_label(table: str, *, lang: str | None = None) -> str:
    entry = _TABLE_LABELS.get(table)
    return (entry.get(lang or _current) or entry["vi"]) if entry else table


_FIELD_LABELS: dict[str, dict[str, str]] = {
    "deleted": {"vi": "Xoá (đánh dấu)", "en": "Removed (marked)"},
    "full_name": {"vi": "Họ và tên", "en": "Full name"},
    "birth_name": {"vi": "Họ tên khai sinh", "en": "Birth name"},
    "alias": {"vi": "Bí danh", "en": "Alias"},
    "gender": {"vi": "Giới tính", "en": "Gender"},
    "date_of_birth": {"vi": "Ngày sinh", "en": "Date of birth"},
    "place_of_birth": {"vi": "Nơi sinh", "en": "Place of birth"},
    "hometown": {"vi": "Quê quán", "en": "Hometown"},
    "residence": {"vi": "Nơi ở hiện nay", "en": "Residence"},
    "ethnicity": {"vi": "Dân tộc", "en": "Ethnicity"},
    "religion": {"vi": "Tôn giáo", "en": "Religion"},
    "education_general": {"vi": "Giáo dục phổ thông", "en": "General education"},
    "education_professional": {"vi": "Chuyên môn, nghiệp vụ", "en": "Professional training"},
    "political_theory": {"vi": "Lý luận chính trị", "en": "Political theory"},
    "languages": {"vi": "Ngoại ngữ", "en": "Languages"},
    "occupation_before": {"vi": "Nghề nghiệp khi vào Đảng", "en": "Occupation when joining"},
    "occupation_now": {"vi": "Nghề nghiệp hiện nay", "en": "Occupation now"},
    "card_number": {"vi": "Số thẻ đảng viên", "en": "Party card number"},
    "record_number": {"vi": "Số lý lịch", "en": "Record number"},
    "badge_numbers": {"vi": "Số huy hiệu", "en": "Badge numbers"},
    "service_background": {"vi": "Quân đội/Công an/Nghỉ hưu", "en": "Army/police/retired"},
    "phone": {"vi": "Điện thoại", "en": "Phone"},
    "notes": {"vi": "Ghi chú", "en": "Notes"},
    "admitted_on": {"vi": "Ngày vào Đảng", "en": "Date admitted"},
    "official_on": {"vi": "Ngày chính thức", "en": "Date made official"},
    "_transferred_out_on": {"vi": "Ngày chuyển đi", "en": "Date transferred out"},
    "_transferred_in": {"vi": "Ngày chuyển đến", "en": "Date transferred in"},
    "_deceased_on": {"vi": "Ngày từ trần", "en": "Date of death"},
    "_left": {"vi": "Ngày và hình thức ra khỏi Đảng", "en": "Date and form of leaving"},
    "date": {"vi": "Ngày", "en": "Date"},
    "decision": {"vi": "Quyết định", "en": "Decision"},
    "kind": {"vi": "Loại sự kiện", "en": "Event kind"},
    "place": {"vi": "Nơi chuyển đến/đi", "en": "From/to"},
    "name": {"vi": "Tên", "en": "Name"},
    "number": {"vi": "Số, ký hiệu", "en": "Number"},
    "issued_on": {"vi": "Ngày ban hành", "en": "Date"},
    "issuer": {"vi": "Cơ quan ban hành", "en": "Issued by"},
    "title": {"vi": "Tên, trích yếu", "en": "Title"},
    "summary": {"vi": "Tóm tắt", "en": "Summary"},
    "tags": {"vi": "Từ khoá", "en": "Tags"},
    "origin": {"vi": "Nguồn", "en": "Origin"},
    "doc_type": {"vi": "Loại văn bản", "en": "Type"},
    # Fields of synced records, named when the record rules refuse a value.
    "member_id": {"vi": "Đảng viên", "en": "Member"},
    "meeting_id": {"vi": "Cuộc họp", "en": "Meeting"},
    "document_id": {"vi": "Văn bản", "en": "Document"},
    "resolution_id": {"vi": "Nghị quyết", "en": "Resolution"},
    "chair_id": {"vi": "Chủ trì", "en": "Chair"},
    "recorder_id": {"vi": "Thư ký", "en": "Recorder"},
    "secretary_id": {"vi": "Bí thư", "en": "Secretary"},
    "responsible_id": {"vi": "Người phụ trách", "en": "Responsible member"},
    "responsible_text": {"vi": "Người phụ trách", "en": "Responsible"},
    "author_member_id": {"vi": "Người góp ý", "en": "Author"},
    "author_text": {"vi": "Người góp ý", "en": "Author"},
    "target_id": {"vi": "Nơi góp ý", "en": "Comment target"},
    "target_type": {"vi": "Loại nơi góp ý", "en": "Kind of comment target"},
    "status": {"vi": "Trạng thái", "en": "Status"},
    "level": {"vi": "Cấp", "en": "Level"},
    "agenda": {"vi": "Chương trình", "en": "Agenda"},
    "body": {"vi": "Nội dung", "en": "Text"},
    "body_text": {"vi": "Nội dung văn bản", "en": "Document text"},
    "conclusion": {"vi": "Kết luận", "en": "Conclusion"},
    "description": {"vi": "Nhiệm vụ", "en": "Task"},
    "detail": {"vi": "Chi tiết", "en": "Detail"},
    "guests": {"vi": "Khách mời", "en": "Guests"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "reason": {"vi": "Lý do", "en": "Reason"},
    "starts_at": {"vi": "Giờ bắt đầu", "en": "Start time"},
    "ends_at": {"vi": "Giờ kết thúc", "en": "End time"},
    "starts_on": {"vi": "Ngày bắt đầu nhiệm kỳ", "en": "Term start"},
    "ends_on": {"vi": "Ngày kết thúc nhiệm kỳ", "en": "Term end"},
    "due_on": {"vi": "Hạn", "en": "Due date"},
    "file_name": {"vi": "Tên tệp", "en": "File name"},
    "former_names": {"vi": "Tên cũ", "en": "Former names"},
    "symbol": {"vi": "Ký hiệu", "en": "Symbol"},
    "seq": {"vi": "Thứ tự", "en": "Order"},
    "votes_for": {"vi": "Số tán thành", "en": "Votes for"},
    "votes_against": {"vi": "Số không tán thành", "en": "Votes against"},
    "voting_base": {"vi": "Tổng số biểu quyết", "en": "Voting base"},
}


def t(code: str, *, lang: str | None = None, **params: Any) -> str:
    """The message for ``code`` in ``lang`` (default: the current language)."""
    entry = _MESSAGES.get(code)
    if entry is None:
        return code
    text = entry.get(lang or _current) or entry["vi"]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def field_label(field: str, *, lang: str | None = None) -> str:
    entry = _FIELD_LABELS.get(field)
    if entry is None:
        return field
    return entry.get(lang or _current) or entry["vi"]


def has_message(code: str) -> bool:
    return code in _MESSAGES
