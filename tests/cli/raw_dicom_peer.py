#!/usr/bin/python3
"""A deliberately bad DICOM peer for the node's tests (issue 9): speaks just enough of the upper layer
protocol (PS3.8) by hand to send a C-STORE whose dataset is cut off mid-stream or is not DICOM at all,
which no well-behaved SCU (storescu refuses a truncated file) can be made to do.

usage: raw_dicom_peer.py PORT truncate|garbage
Prints the C-STORE response status as 0xNNNN, or 'closed' when the node dropped the connection.
"""
import socket
import struct
import sys

CT = b"1.2.840.10008.5.1.4.1.1.2"
EXPLICIT_LE = b"1.2.840.10008.1.2.1"
SOP = b"1.2.826.0.1.3680043.10.777.1"


def even(b):
    return b + b"\0" if len(b) % 2 else b


def item(kind, body):
    return struct.pack(">BBH", kind, 0, len(body)) + body


def associate_rq():
    pc = struct.pack(">BBBB", 1, 0, 0, 0) + item(0x30, CT) + item(0x40, EXPLICIT_LE)
    user = item(0x51, struct.pack(">I", 16384))
    body = (struct.pack(">HH", 1, 0) + b"RTAUDIT".ljust(16) + b"RAWPEER".ljust(16) + b"\0" * 32 +
            item(0x10, b"1.2.840.10008.3.1.1.1") + item(0x20, pc) + item(0x50, user))
    return struct.pack(">BBI", 1, 0, len(body)) + body


def element(group, elem, value):
    return struct.pack("<HHI", group, elem, len(value)) + value


def command():
    body = (element(0, 0x0002, even(CT)) + element(0, 0x0100, struct.pack("<H", 1)) + element(0, 0x0110, struct.pack("<H", 1)) +
            element(0, 0x0700, struct.pack("<H", 0)) + element(0, 0x0800, struct.pack("<H", 0)) + element(0, 0x1000, even(SOP)))
    return element(0, 0x0000, struct.pack("<I", len(body))) + body


def pdata(control, payload):
    pdv = struct.pack(">IBB", len(payload) + 2, 1, control) + payload
    return struct.pack(">BBI", 4, 0, len(pdv)) + pdv


def explicit(group, elem, vr, value):
    if vr in (b"OB", b"OW", b"SQ", b"UN", b"UT"):
        return struct.pack("<HH", group, elem) + vr + b"\0\0" + struct.pack("<I", len(value)) + value
    return struct.pack("<HH", group, elem) + vr + struct.pack("<H", len(value)) + value


def recv_pdu(s):
    head = b""
    while len(head) < 6:
        chunk = s.recv(6 - len(head))
        if not chunk:
            return None, b""
        head += chunk
    kind, _, length = struct.unpack(">BBI", head)
    body = b""
    while len(body) < length:
        chunk = s.recv(length - len(body))
        if not chunk:
            break
        body += chunk
    return kind, body


def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(associate_rq())
    kind, _ = recv_pdu(s)
    if kind != 2:
        print("not accepted (PDU type %s)" % kind)
        return 1
    s.sendall(pdata(0x03, command()))
    if mode == "truncate":
        # The dataset announces 256000 bytes of pixel data, sends 1000 and the sender vanishes.
        data = (explicit(0x0008, 0x0016, b"UI", even(CT)) + explicit(0x0008, 0x0018, b"UI", even(SOP)) +
                struct.pack("<HH", 0x7FE0, 0x0010) + b"OW\0\0" + struct.pack("<I", 256000) + b"\0" * 1000)
        s.sendall(pdata(0x00, data))
        s.close()
        print("closed")
        return 0
    # garbage: a complete dataset (last fragment) that is not DICOM.
    s.sendall(pdata(0x02, b"\xff\xfe\xfd\xfc" * 64))
    while True:
        kind, body = recv_pdu(s)
        if kind is None:
            print("closed")
            return 0
        if kind == 4:
            # The response command: find (0000,0900) Status in the implicit VR command set.
            payload = body[6:]
            i = 0
            while i + 8 <= len(payload):
                g, e, n = struct.unpack("<HHI", payload[i:i + 8])
                if (g, e) == (0, 0x0900):
                    print("0x%04X" % struct.unpack("<H", payload[i + 8:i + 10])[0])
                    s.sendall(struct.pack(">BBI", 5, 0, 4) + b"\0\0\0\0")  # A-RELEASE-RQ
                    return 0
                i += 8 + n
        else:
            print("PDU type %d" % kind)
            return 0


if __name__ == "__main__":
    sys.exit(main())
