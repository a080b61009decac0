"""Per record: a sensor with the address the record holds at the provider."""

from homeassistant.components.sensor import SensorEntity

from .entity import RecordEntity, timestamp

PARALLEL_UPDATES = 0  # the coordinator makes the one update


async def async_setup_entry(hass, entry, async_add_entities):
    coordinator = entry.runtime_data
    async_add_entities(RecordSensor(coordinator, key) for key in coordinator.data["records"])


class RecordSensor(RecordEntity, SensorEntity):
    _attr_translation_key = "record"
    _attr_icon = "mdi:dns"

    @property
    def native_value(self):
        return self.record.get("ip")

    @property
    def extra_state_attributes(self):
        rec = self.record
        return {"domain": rec.get("domain"), "type": rec.get("type"),
                "provider": rec.get("provider"), "last_action": rec.get("action"),
                "detected": rec.get("detected"),
                "last_verified": timestamp(rec.get("verified")),
                "last_changed": timestamp(rec.get("changed"))}
