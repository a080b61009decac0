"""ddns_min: keep A/AAAA records at Cloudflare, DNSPod, Tencent Cloud, ... pointed at this home.

Each config entry is one provider account with its names; a coordinator runs one ddns_min pass
per interval in HA's executor. The client is imported lazily (runner.client), never at HA start.
"""

import logging
import os

import voluptuous as vol

from homeassistant.const import Platform
from homeassistant.core import ServiceCall, SupportsResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv, entity_registry as er

from .const import ATTR_CONFIG_ENTRY_ID, DOMAIN, SERVICE_UPDATE
from .coordinator import DDNSCoordinator, cache_path

_LOGGER = logging.getLogger(__name__)

PLATFORMS = [Platform.BINARY_SENSOR, Platform.BUTTON, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
SERVICE_SCHEMA = vol.Schema({vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string})


async def async_setup(hass, config):
    """The `ddns_min.update` service: one pass of an entry now; returns its report."""

    async def update(call: ServiceCall):
        entry = hass.config_entries.async_get_entry(call.data[ATTR_CONFIG_ENTRY_ID])
        if entry is None or entry.domain != DOMAIN:
            raise ServiceValidationError("no ddns_min entry %s" % call.data[ATTR_CONFIG_ENTRY_ID])
        coordinator = getattr(entry, "runtime_data", None)
        if not isinstance(coordinator, DDNSCoordinator):
            raise ServiceValidationError("the ddns_min entry %s is not loaded" % entry.title)
        report = await coordinator.async_update_now()
        if report is None:
            raise HomeAssistantError("ddns_min pass failed: %s" % coordinator.last_exception)
        return report

    hass.services.async_register(DOMAIN, SERVICE_UPDATE, update, schema=SERVICE_SCHEMA,
                                 supports_response=SupportsResponse.OPTIONAL)
    return True


async def async_setup_entry(hass, entry):
    coordinator = DDNSCoordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    _remove_stale_entities(hass, entry, coordinator.data["records"])
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(entry.add_update_listener(_reload))
    return True


def _remove_stale_entities(hass, entry, records):
    """Entities of names the options flow took away go from the registry."""
    wanted = {"%s_update_now" % entry.entry_id}
    for key in records:
        domain, rtype = key.split("|", 1)
        base = "%s_%s_%s" % (entry.entry_id, domain, rtype)
        wanted.update((base, base + "_problem"))
    registry = er.async_get(hass)
    for ent in er.async_entries_for_config_entry(registry, entry.entry_id):
        if ent.unique_id not in wanted:
            registry.async_remove(ent.entity_id)


async def _reload(hass, entry):
    """The options flow changed something: set the entry up again with it."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass, entry):
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass, entry):
    """The entry is deleted: so is its state file."""
    def remove():
        for path in (cache_path(hass, entry.entry_id),):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
    await hass.async_add_executor_job(remove)
