"""The work on one Session, below the use cases (``usecases/``). Each write returns
``Changes``; callers own the transaction."""
