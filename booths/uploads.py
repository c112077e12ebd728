"""Refusing an upload that is too large before its body is read."""

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops a multipart request whose body is larger than UPLOAD_MAX_MB (plus a
    little for the form's other fields) as soon as its length is known, and one
    without a length once that much has arrived. The view then sees no file and
    says the file is too large."""

    SLACK = 64 * 1024

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = settings.UPLOAD_MAX_MB * 1024 * 1024 + self.SLACK
        self.received = 0
        self.declared = content_length or 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.declared > self.limit:  # stop before reading the file's bytes
            self._too_large()
            raise StopUpload(connection_reset=True)
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._too_large()
            raise StopUpload(connection_reset=True)
        return raw_data

    def _too_large(self) -> None:
        # A flag of our own on the request, read by the view with getattr(); not an HttpRequest attribute.
        setattr(self.request, "upload_too_large", True)  # noqa: B010

    def file_complete(self, file_size: int) -> None:
        return None
