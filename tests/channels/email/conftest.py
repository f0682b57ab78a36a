"""Real servers for the email tests.

Until tests/conftest.py loads them for the whole suite with
    pytest_plugins = ["tests.servers.dovecot", "tests.servers.smtp"]
the fixtures are imported here (pytest only honours pytest_plugins in the root conftest).
"""
from tests.servers.dovecot import dovecot, dovecot_binary, make_dovecot  # noqa: F401
from tests.servers.smtp import smtp_server, smtp_server_tls, smtp_server_with_auth  # noqa: F401
