"""ChunkWriter: the thread that stores chunks while the next one is validated."""

import pytest

from cfmp.intake import services


class TestChunkWriterThread:
    """The writer thread's own contract, without a database: order, errors, the switch
    interval. (test_pipeline.py runs it against PostgreSQL.)"""

    def test_chunks_are_stored_in_order_on_another_thread(self):
        import threading

        stored = []

        def store(chunk):
            stored.append((chunk, threading.current_thread().name))

        writer = services.ChunkWriter(store, threaded=True)
        for n in range(50):
            writer.submit(n)
        writer.close()
        assert [chunk for chunk, _ in stored] == list(range(50))
        assert {name for _, name in stored} == {"intake-writer"}

    def test_an_error_on_the_thread_is_raised_in_the_caller_and_later_chunks_skipped(self):
        seen = []

        def store(chunk):
            seen.append(chunk)
            if chunk == 3:
                raise RuntimeError("disk full")

        def submit_all():
            for n in range(100):
                writer.submit(n)
            writer.close()

        writer = services.ChunkWriter(store, threaded=True)
        with pytest.raises(RuntimeError, match="disk full"):
            submit_all()
        writer.stop()
        assert seen[-1] <= 5  # it stopped storing soon after the failure
        assert 3 in seen

    def test_the_switch_interval_is_restored_when_the_last_writer_ends(self):
        import sys

        before = sys.getswitchinterval()
        first = services.ChunkWriter(lambda c: None, threaded=True)
        second = services.ChunkWriter(lambda c: None, threaded=True)
        assert sys.getswitchinterval() == pytest.approx(services.WRITER_SWITCH_INTERVAL)
        first.close()
        assert sys.getswitchinterval() == pytest.approx(services.WRITER_SWITCH_INTERVAL)
        second.close()
        assert sys.getswitchinterval() == pytest.approx(before)
