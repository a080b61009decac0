"""An "Update now" button per entry: one pass at once."""

from homeassistant.components.button import ButtonEntity

from .entity import DDNSEntity

PARALLEL_UPDATES = 1


async def async_setup_entry(hass, entry, async_add_entities):
    async_add_entities([UpdateNow(entry.runtime_data, "update_now")])


class UpdateNow(DDNSEntity, ButtonEntity):
    _attr_translation_key = "update_now"
    _attr_icon = "mdi:refresh"

    @property
    def available(self):
        return True  # also after a failed pass: pressing it is how one retries at once

    async def async_press(self):
        await self.coordinator.async_update_now()
