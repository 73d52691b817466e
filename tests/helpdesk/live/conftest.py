import pytest


@pytest.fixture
def short_streams(settings):
    """Push on, and streams that end within seconds: a test waiting for an event that never
    comes fails instead of hanging; keep-alives (and what is said with them) come quickly."""
    settings.LIVE_PUSH = True
    settings.LIVE_STREAM_MAX_SECONDS = 3
    settings.LIVE_KEEPALIVE_SECONDS = 0.1
