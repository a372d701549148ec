"""Use cases over a Session. Each write returns ``Changes``; callers own the transaction."""
