"""Small real files for upload tests, made in code so nothing binary is committed."""

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text="Siping test evidence"):
    from tasks.management.commands.load_demo import demo_pdf

    return demo_pdf("x.pdf").read()


def png_bytes():
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\xff\x00\x00" * 1  # one red pixel row with filter byte
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name="通知.pdf"):
    return upload(name, pdf_bytes(), "application/pdf")


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
