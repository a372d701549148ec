"""The "Chuyển sinh hoạt" screen: transfer letters sent and received (issue 20)."""
