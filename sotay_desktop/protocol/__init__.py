"""The sync wire format, defined once for client and server (pydantic only).

This first version defines only the version handshake; messages for push and
pull arrive with the sync issue.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

PROTOCOL_VERSION = 1
MIN_PROTOCOL_VERSION = 1

ROUTE_HEALTH = "/healthz"
ROUTE_INFO = "/api/v1/info"


class ServerInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    protocol_version: int
    min_protocol_version: int
    server_time: str
    database: str  # "sqlite" or "postgresql"
