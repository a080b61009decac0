"""Diagnostics download: settings and the last report, every secret redacted."""

import json

from homeassistant.components.diagnostics import async_redact_data

from .const import CONF_ENDPOINT, CONF_ID, CONF_TOKEN, SECRET_KEYS
from .coordinator import settings_of


async def async_get_config_entry_diagnostics(hass, entry):
    coordinator = getattr(entry, "runtime_data", None)
    data = {"entry": {"title": entry.title, "version": entry.version,
                      "data": async_redact_data(dict(entry.data), SECRET_KEYS),
                      "options": async_redact_data(dict(entry.options), SECRET_KEYS)},
            "coordinator": None}
    if coordinator is not None:
        data["coordinator"] = {
            "last_update_success": coordinator.last_update_success,
            "last_exception": str(coordinator.last_exception)
            if coordinator.last_exception else None,
            "update_interval": str(coordinator.update_interval),
            "data": async_redact_data(coordinator.data or {}, SECRET_KEYS)}
    # A secret quoted inside some message (an error text, a URL) is masked too.
    text = json.dumps(data)
    settings = settings_of(entry)
    for key in (CONF_TOKEN, CONF_ID, CONF_ENDPOINT):
        secret = settings.get(key)
        if secret and len(str(secret)) >= 4:
            text = text.replace(json.dumps(str(secret))[1:-1], "**REDACTED**")
    return json.loads(text)
