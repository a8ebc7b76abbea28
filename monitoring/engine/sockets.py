"""Socket tuning shared by the ICMP and SNMP clients: each holds one socket for thousands of peers."""

import logging
import socket

log = logging.getLogger("simpul.engine")

# Linux values that Python's socket module does not export.
SO_SNDBUFFORCE, SO_RCVBUFFORCE = 32, 33  # as root: past net.core.wmem_max / rmem_max


def enlarge_buffers(sock: socket.socket, *, receive: int, send: int) -> None:
    """Room for a burst of replies that arrive while the event loop is busy sending.

    One shared socket gets every peer's reply, so its buffer, not the peers, decides how many
    replies a burst may hold before the kernel drops them.
    """
    for forced, plain, size in ((SO_RCVBUFFORCE, socket.SO_RCVBUF, receive), (SO_SNDBUFFORCE, socket.SO_SNDBUF, send)):
        try:
            sock.setsockopt(socket.SOL_SOCKET, forced, size)
        except OSError:  # not root: the plain option, which the kernel caps at net.core.[rw]mem_max
            sock.setsockopt(socket.SOL_SOCKET, plain, size)
    granted = sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    if granted < receive:
        log.info(
            "socket receive buffer is %d bytes, not %d: raise net.core.rmem_max for large sweeps", granted, receive
        )
