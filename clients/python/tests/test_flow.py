"""Flow-control accounting (PROTOCOL.md §5)."""

import pytest

from framedrpc.flow import INITIAL_WINDOW, ReceiveWindow, SendWindow
from framedrpc.framing import ProtocolError
from framedrpc.v1 import wire_pb2


def test_windows_start_at_1_mib():
    assert INITIAL_WINDOW == 1_048_576
    assert SendWindow().available == INITIAL_WINDOW


def test_sending_is_allowed_while_the_window_is_positive():
    window = SendWindow(10)
    window.consume(9)
    assert window.open
    window.consume(5)  # one message may overshoot
    assert window.available == -4 and not window.open
    window.credit(4)
    assert not window.open  # exactly zero: still closed
    window.credit(1)
    assert window.open


def test_credit_is_returned_once_half_the_window_is_consumed():
    window = ReceiveWindow(100)
    window.receive(30)
    assert window.consume(30) == 0
    window.receive(30)
    assert window.consume(30) == 60  # 60 >= 50: all unreturned credit at once
    assert window.consume(0) == 0


def test_small_messages_never_trigger_an_update():
    window = ReceiveWindow()
    window.receive(1000)
    assert window.consume(1000) == 0


def test_message_past_an_exhausted_window_is_a_flow_control_error():
    window = ReceiveWindow(100)
    window.receive(150)  # allowed: the window was positive when it was sent
    with pytest.raises(ProtocolError) as error:
        window.receive(1)
    assert error.value.code == wire_pb2.FLOW_CONTROL_ERROR


def test_returned_credit_reopens_the_window():
    window = ReceiveWindow(100)
    window.receive(100)
    assert window.consume(100) == 100
    window.receive(100)  # window was 100 again
