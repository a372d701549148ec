"""Document generators and readers: bytes in, bytes or text out. No Session, no Qt, no clock."""
