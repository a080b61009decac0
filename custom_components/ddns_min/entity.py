"""The base of every ddns_min entity: one device (a service) per entry."""

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import CONF_PROVIDER, DOMAIN
from .coordinator import settings_of


class DDNSEntity(CoordinatorEntity):
    _attr_has_entity_name = True

    def __init__(self, coordinator, suffix):
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self._attr_unique_id = "%s_%s" % (entry.entry_id, suffix)
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)}, name=entry.title,
            manufacturer="ddns_min", model=settings_of(entry).get(CONF_PROVIDER),
            entry_type=DeviceEntryType.SERVICE)


class RecordEntity(DDNSEntity):
    """An entity of one record (a name and A or AAAA)."""

    def __init__(self, coordinator, key, suffix=""):
        domain, rtype = key.split("|", 1)
        super().__init__(coordinator, "%s_%s%s" % (domain, rtype, suffix))
        self.key = key
        self._attr_translation_placeholders = {"domain": domain, "type": rtype}

    @property
    def record(self):
        return (self.coordinator.data or {}).get("records", {}).get(self.key) or {}

    @property
    def available(self):
        return super().available and bool(self.record)


def timestamp(seconds):
    from datetime import datetime, timezone
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat() if seconds else None
