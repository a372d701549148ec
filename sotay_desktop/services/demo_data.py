"""Word lists for the demo branch: common Vietnamese names and village facts."""

from __future__ import annotations

# (family name, weight): roughly the national frequencies.
FAMILY_NAMES = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4),
    ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1), ("Ngô", 1), ("Dương", 1), ("Lý", 1),
    ("Phan", 4), ("Đinh", 1), ("Trịnh", 1), ("Đào", 1), ("Lương", 1), ("Tạ", 1),
)
MIDDLE_MALE = ("Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Công", "Đình",
               "Mạnh", "Ngọc", "Thanh", "Tiến", "Trọng")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim",
                 "Phương", "Thuỳ", "Bích")
GIVEN_MALE = ("An", "Bình", "Cường", "Dũng", "Đức", "Đông", "Giang", "Hải", "Hoà", "Hòa",
              "Hùng", "Huy", "Khánh", "Lâm", "Long", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong",
              "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn", "Trung",
              "Tuấn", "Tùng", "Việt", "Vinh", "Ánh", "Ấn", "Ước", "Ưng")
GIVEN_FEMALE = ("Anh", "Ánh", "Bích", "Chi", "Dung", "Dương", "Giang", "Hà", "Hạnh", "Hằng",
                "Hiền", "Hoa", "Hoà", "Hòa", "Huệ", "Hương", "Hường", "Lan", "Liên", "Linh",
                "Loan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Thảo",
                "Thuý", "Thúy", "Thư", "Trang", "Tuyết", "Vân", "Yến", "Ấu", "Ơn")
VILLAGES = ("Đông Hòa", "Tây Hòa", "Thượng", "Hạ", "Trung Lập", "Phú Mỹ", "Yên Thái")
COMMUNES = ("Tân Lập", "Hoà Bình", "Quang Trung", "Đồng Tâm", "Nghĩa Hưng")
OCCUPATIONS_BEFORE = ("Làm ruộng", "Bộ đội", "Giáo viên", "Công nhân", "Cán bộ xã",
                      "Học sinh", "Y tá", "Buôn bán")
OCCUPATIONS_NOW = ("Làm ruộng", "Nghỉ hưu", "Cựu chiến binh", "Giáo viên", "Cán bộ thôn",
                   "Kinh doanh", "Công nhân", "Y sĩ trạm y tế", "Trưởng thôn")
EDUCATION = ("7/10", "10/10", "9/12", "12/12", "12/12", "12/12")
PROFESSIONAL = ("", "", "Trung cấp nông nghiệp", "Cao đẳng sư phạm", "Đại học luật",
                "Trung cấp y", "Đại học kinh tế")
THEORY = ("Sơ cấp", "Sơ cấp", "Trung cấp", "")
ETHNICITIES = (("Kinh", 92), ("Tày", 3), ("Mường", 3), ("Nùng", 2))
RELIGIONS = (("Không", 85), ("Phật giáo", 10), ("Công giáo", 5))
ABSENCE_REASONS = ("Ốm", "Đi làm ăn xa", "Đi khám bệnh", "Việc gia đình", "Đi công tác")

DOCUMENTS_FROM_ABOVE = (
    ("CT", "Chỉ thị", "về tăng cường công tác phòng, chống thiên tai mùa mưa bão"),
    ("KH", "Kế hoạch", "tổ chức đại hội chi bộ nhiệm kỳ mới"),
    ("NQ", "Nghị quyết", "về phát triển kinh tế nông nghiệp gắn với xây dựng nông thôn mới"),
    ("TB", "Thông báo", "kết luận của Ban Thường vụ về công tác cán bộ"),
    ("HD", "Hướng dẫn", "nội dung sinh hoạt chi bộ thôn theo Hướng dẫn 42-HD/BTCTW"),
    ("KH", "Kế hoạch", "kiểm điểm, đánh giá, xếp loại chất lượng đảng viên cuối năm"),
    ("CV", "Công văn", "về việc thu, nộp đảng phí theo Quy định 01-QĐ/TW"),
    ("QĐ", "Quyết định", "tặng Huy hiệu Đảng đợt 3/2 cho đảng viên"),
    ("CT", "Chỉ thị", "về tổ chức Tết Nguyên đán vui tươi, lành mạnh, an toàn"),
    ("KL", "Kết luận", "về việc thực hiện sắp xếp tổ chức bộ máy sau hợp nhất"),
)
OWN_DOCUMENTS = (
    ("BC", "Báo cáo", "kết quả thực hiện nghị quyết 6 tháng đầu năm"),
    ("KH", "Kế hoạch", "thực hiện cuộc vận động toàn dân đoàn kết xây dựng đời sống văn hoá"),
    ("BC", "Báo cáo", "kiểm điểm tập thể chi bộ năm"),
    ("TB", "Thông báo", "lịch sinh hoạt chi bộ quý"),
)
PARAGRAPHS = (
    "Thực hiện chủ trương của cấp trên, các chi bộ trực thuộc tổ chức quán triệt đến toàn thể "
    "đảng viên, gắn với nhiệm vụ chính trị của địa phương.",
    "Các đồng chí đảng viên nêu cao tinh thần trách nhiệm, gương mẫu đi đầu trong thực hiện "
    "chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước.",
    "Tăng cường công tác tuyên truyền, vận động nhân dân tham gia xây dựng nông thôn mới, "
    "giữ gìn vệ sinh môi trường, bảo đảm an ninh trật tự thôn xóm.",
    "Chi ủy, chi bộ phân công đảng viên phụ trách hộ gia đình, kịp thời nắm bắt tâm tư, "
    "nguyện vọng của nhân dân, báo cáo cấp ủy cấp trên.",
    "Tổ chức kiểm tra, giám sát việc thực hiện; định kỳ sơ kết, rút kinh nghiệm, biểu dương "
    "những tập thể, cá nhân làm tốt.",
    "Đẩy mạnh chuyển đổi cơ cấu cây trồng, vật nuôi; hướng dẫn bà con làm đất, gieo cấy "
    "đúng khung thời vụ, phòng trừ sâu bệnh.",
)
SPEECHES = (
    "nhất trí với báo cáo của chi ủy; đề nghị bổ sung nội dung vệ sinh môi trường đường làng.",
    "đề nghị chi bộ quan tâm hơn đến việc phát triển đảng viên trong thanh niên.",
    "báo cáo tình hình sản xuất vụ đông; đề nghị hỗ trợ giống cho các hộ khó khăn.",
    "đề nghị đôn đốc thu nộp đảng phí đúng kỳ, công khai sổ thu chi.",
    "nhất trí dự thảo nghị quyết; đề nghị giao việc cụ thể cho từng đồng chí.",
)
TASKS = (
    "Vận động nhân dân ra quân dọn vệ sinh đường làng, ngõ xóm vào sáng chủ nhật đầu tháng",
    "Đôn đốc các hộ hoàn thành gieo trồng cây vụ đông đúng khung thời vụ",
    "Thu nộp đảng phí tháng đầy đủ, đúng kỳ",
    "Nắm tình hình an ninh trật tự, kịp thời báo cáo công an xã",
    "Chuẩn bị hồ sơ đề nghị kết nạp quần chúng ưu tú vào Đảng",
    "Thăm hỏi, động viên đảng viên cao tuổi, ốm đau",
)
