"""A monotonic clock for the app's timers that moves only when a test moves it (`now`)."""


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
