"""A real SMTP server for the email tests, on aiosmtpd: every message it accepts lands
as a file in a Maildir, to be read back. Addresses whose local part starts with
`bounce` are refused for good (550), as a relay refuses a mailbox that does not exist;
those starting with `later` are refused for now (451) the first time, as a greylisting
or busy relay does, and accepted when tried again;
`SINK_DELAY` seconds of delay before each message is accepted lets a test stop a sender
while a message is in flight.

    python3 smtp_sink.py PORT MAILDIR
"""

import asyncio
import mailbox
import os
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.box = mailbox.Maildir(folder, create=True)
        self.delay = float(os.environ.get("SINK_DELAY", "0"))
        self.deferred = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].lower().startswith("bounce"):
            return "550 5.1.1 No such mailbox here"
        if address.split("@")[0].lower().startswith("later") and address not in self.deferred:
            self.deferred.add(address)
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = mailbox.MaildirMessage(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.box.add(message)
        return "250 Message accepted for delivery"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
