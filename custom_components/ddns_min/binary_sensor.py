"""Per record: a problem binary sensor, on while the record's last pass failed."""

from homeassistant.components.binary_sensor import BinarySensorDeviceClass, BinarySensorEntity

from .entity import RecordEntity, timestamp

PARALLEL_UPDATES = 0  # the coordinator makes the one update


async def async_setup_entry(hass, entry, async_add_entities):
    coordinator = entry.runtime_data
    async_add_entities(RecordProblem(coordinator, key) for key in coordinator.data["records"])


class RecordProblem(RecordEntity, BinarySensorEntity):
    _attr_translation_key = "problem"
    _attr_device_class = BinarySensorDeviceClass.PROBLEM

    def __init__(self, coordinator, key):
        super().__init__(coordinator, key, "_problem")

    @property
    def is_on(self):
        return self.record.get("action") == "failed"

    @property
    def extra_state_attributes(self):
        rec = self.record
        return {"last_error": rec.get("error"), "last_failed": timestamp(rec.get("failed")),
                "note": rec.get("note")}
