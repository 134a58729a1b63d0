"""OpenAPI descriptions for routes that read their body by hand (to refuse bad bytes politely)."""

from __future__ import annotations

from typing import Any


def text_body(example: str, with_sender: bool = False) -> dict[str, Any]:
    """``openapi_extra`` for a JSON body with ``text`` (and ``sender_id``)."""
    properties: dict[str, Any] = {"text": {"type": "string", "maxLength": 2000}}
    example_body: dict[str, str] = {"text": example}
    if with_sender:
        properties["sender_id"] = {"type": "string", "maxLength": 128}
        example_body = {"sender_id": "web-3f2a", **example_body}
    schema = {"type": "object", "properties": properties, "required": ["text"], "example": example_body}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}
