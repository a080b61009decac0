"""One DataUpdateCoordinator per entry: a ddns_min pass every interval, in the executor."""

from datetime import timedelta
import logging

from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import CONF_INTERVAL, DEFAULT_INTERVAL, DOMAIN, MAX_BACKOFF_MINUTES
from . import runner

_LOGGER = logging.getLogger(__name__)


def settings_of(entry):
    """The entry's settings: what the options flow saved (all of the form), else its data."""
    return dict(entry.options or entry.data)


def cache_path(hass, entry_id):
    return hass.config.path(".storage", "ddns_min_%s.json" % entry_id)


class DDNSCoordinator(DataUpdateCoordinator):
    """data: {"report": the last report, "records": {"domain|type": record facts}}."""

    def __init__(self, hass, entry):
        self.interval = timedelta(minutes=int(settings_of(entry).get(CONF_INTERVAL)
                                              or DEFAULT_INTERVAL))
        super().__init__(hass, _LOGGER, config_entry=entry, name="%s %s" % (DOMAIN, entry.title),
                         update_interval=self.interval)
        self.cache = cache_path(hass, entry.entry_id)
        self.failures = 0

    async def _async_update_data(self):
        settings = settings_of(self.config_entry)
        outcome = await self.hass.async_add_executor_job(runner.run_pass, settings, self.cache)
        if outcome.kind == "auth":
            raise ConfigEntryAuthFailed("the provider refused the credentials: %s"
                                        % outcome.message)
        if outcome.kind != "ok":
            # Entities unavailable; the next try after a wait that doubles per failed pass
            # (the interval at first, up to an hour), as ddns_min's own loop does.
            self.failures += 1
            wait = min(self.interval * (2 ** min(self.failures - 1, 10)),
                       max(self.interval, timedelta(minutes=MAX_BACKOFF_MINUTES)))
            self.update_interval = wait
            raise UpdateFailed("%s (next try in %s)" % (outcome.message, wait))
        self.failures = 0
        self.update_interval = self.interval
        return {"report": outcome.report, "records": outcome.records}

    async def async_update_now(self):
        """One pass now, whatever the schedule (button, service) -> the report."""
        await self.async_refresh()
        if not self.last_update_success:
            return None
        return self.data["report"]
