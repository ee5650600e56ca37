"""An e-mail backend for the real-worker tests: one line per sent message (Message-ID, recipient)
appended to the file named by OUTBOX_TEST_MAIL_FILE, which the test process reads.

OUTBOX_TEST_MAIL_DELAY stands for an SMTP server's final answer: the message is already in the
inbox but the sender does not know it yet, the very window a killed worker leaves behind.
"""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class RecordingBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        path = os.environ["OUTBOX_TEST_MAIL_FILE"]
        delay = float(os.environ.get("OUTBOX_TEST_MAIL_DELAY", "0"))
        for message in email_messages:
            built = message.message()  # bad headers raise here, as with SMTP
            line = f"{built['Message-ID']}\t{','.join(message.to)}\n".encode()
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)  # one append: whole lines even when the process is killed
            finally:
                os.close(fd)
            time.sleep(delay)
        return len(email_messages)
