"""moto's server (`moto_server`), answering one request at a time.

AWS applies a conditional write to an item atomically; moto checks the condition, then
writes, without a lock, on one thread per connection. Two concurrent conditional
`UpdateItem`s of a new row can then both pass `attribute_not_exists(...)`, and the later
one replaces the row the earlier one wrote. The listeners apply a batch's messages
concurrently and rely on that atomicity for the views' ordering rule, so the emulator must
provide it: connections stay concurrent, the application handles one request at a time.
Arguments are moto_server's.
"""

import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.server import main

_one_at_a_time = threading.Lock()
_dispatch = DomainDispatcherApplication.__call__


def _serialized(self, environ, start_response):
    with _one_at_a_time:
        # moto builds the whole body here; nothing is produced after the lock is released.
        return list(_dispatch(self, environ, start_response))


DomainDispatcherApplication.__call__ = _serialized

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
