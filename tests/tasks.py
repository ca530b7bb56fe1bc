"""Tasks used by the test suite to exercise failure paths of the job runner."""


def explode() -> None:
    raise RuntimeError("boom")
