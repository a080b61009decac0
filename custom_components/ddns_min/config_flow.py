"""Config, options and re-authentication flows: one form, checked by one read at the provider."""

import hashlib
import logging

import voluptuous as vol

from homeassistant.config_entries import ConfigFlow, OptionsFlow
from homeassistant.core import callback
from homeassistant.helpers.selector import (NumberSelector, NumberSelectorConfig,
                                            NumberSelectorMode, SelectSelector,
                                            SelectSelectorConfig, SelectSelectorMode,
                                            TextSelector, TextSelectorConfig, TextSelectorType)

from . import runner
from .const import (CONF_ENDPOINT, CONF_ID, CONF_INDEX4, CONF_INDEX6, CONF_INTERVAL, CONF_IPV4,
                    CONF_IPV6, CONF_PROVIDER, CONF_TOKEN, DEFAULT_INTERVAL, DEFAULT_PROVIDER,
                    DOMAIN, MAX_INTERVAL, MIN_INTERVAL, PROVIDERS)
from .coordinator import cache_path, settings_of

_LOGGER = logging.getLogger(__name__)
CREDENTIALS = (CONF_ID, CONF_TOKEN)
TEXT_FIELDS = (CONF_ID, CONF_TOKEN, CONF_ENDPOINT, CONF_IPV4, CONF_IPV6, CONF_INDEX4, CONF_INDEX6)


def _schema(values):
    """The one form (also the options form), filled with `values`."""
    def opt(key, default=None):
        value = values.get(key, default)
        return vol.Optional(key, description={"suggested_value": value}) \
            if value not in (None, "") else vol.Optional(key)
    text, secret = TextSelector(), TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
    return vol.Schema({
        vol.Required(CONF_PROVIDER, default=values.get(CONF_PROVIDER, DEFAULT_PROVIDER)):
            SelectSelector(SelectSelectorConfig(options=PROVIDERS, translation_key="provider",
                                                mode=SelectSelectorMode.DROPDOWN)),
        opt(CONF_ID): text,
        opt(CONF_TOKEN): secret,
        opt(CONF_IPV4): text,
        opt(CONF_IPV6): text,
        opt(CONF_INDEX4, "default"): text,
        opt(CONF_INDEX6, "default"): text,
        vol.Required(CONF_INTERVAL, default=values.get(CONF_INTERVAL, DEFAULT_INTERVAL)):
            NumberSelector(NumberSelectorConfig(min=MIN_INTERVAL, max=MAX_INTERVAL, step=1,
                                                mode=NumberSelectorMode.BOX,
                                                unit_of_measurement="min")),
        opt(CONF_ENDPOINT): text,
    })


def _clean(user_input):
    out = {}
    for key, value in user_input.items():
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
        out[key] = value
    out[CONF_INTERVAL] = int(out.get(CONF_INTERVAL) or DEFAULT_INTERVAL)
    return out


def unique_id_of(settings):
    """provider + account: a fingerprint of the account ID where the provider has one (a
    Tencent Cloud SecretId, a callback URL), else of the token. One-way and truncated: the
    unique id (which HA shows in places) gives no secret away."""
    account = settings.get(CONF_ID) or settings.get(CONF_TOKEN) or ""
    return "%s:%s" % (settings[CONF_PROVIDER],
                      hashlib.sha256(account.encode("utf-8")).hexdigest()[:12])


def title_of(settings):
    names = (settings.get(CONF_IPV4) or settings.get(CONF_IPV6) or "").replace(";", ",")
    first = names.replace(",", " ").split()
    return "%s %s" % (settings[CONF_PROVIDER], first[0] if first else "")


async def _check(hass, settings):
    """-> (errors, placeholders) for the form: empty when the provider read worked."""
    failure = await hass.async_add_executor_job(runner.check_credentials, settings)
    if failure is None:
        return {}, {}
    key, message = failure
    _LOGGER.debug("ddns_min check failed: %s (%s)", key, message)
    return {"base": key}, {"error": message}


class DDNSConfigFlow(ConfigFlow, domain=DOMAIN):
    VERSION = 1

    async def async_step_user(self, user_input=None):
        errors, placeholders = {}, {"error": ""}
        if user_input is not None:
            settings = _clean(user_input)
            await self.async_set_unique_id(unique_id_of(settings))
            self._abort_if_unique_id_configured()
            errors, found = await _check(self.hass, settings)
            placeholders.update(found)
            if not errors:
                return self.async_create_entry(title=title_of(settings), data=settings)
        return self.async_show_form(step_id="user", data_schema=_schema(user_input or {}),
                                    errors=errors, description_placeholders=placeholders)

    async def async_step_reauth(self, entry_data):
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(self, user_input=None):
        entry = self._get_reauth_entry()
        errors, placeholders = {}, {"error": "", "title": entry.title}
        if user_input is not None:
            settings = settings_of(entry)
            for key in CREDENTIALS:
                settings.pop(key, None)
            settings.update(_clean(user_input))
            errors, found = await _check(self.hass, settings)
            placeholders.update(found)
            if not errors:
                # The new credentials go where the settings are: the options once the options
                # flow saved them, else the data.
                creds = {k: settings[k] for k in CREDENTIALS if settings.get(k)}
                data = {k: v for k, v in entry.data.items() if k not in CREDENTIALS}
                data.update(creds)
                options = {}
                if entry.options:
                    options = {k: v for k, v in entry.options.items() if k not in CREDENTIALS}
                    options.update(creds)
                await self.hass.async_add_executor_job(
                    runner.forget_refusal, settings, cache_path(self.hass, entry.entry_id))
                return self.async_update_reload_and_abort(
                    entry, unique_id=unique_id_of(settings), data=data, options=options)
        schema = vol.Schema({
            vol.Optional(CONF_ID, description={"suggested_value": settings_of(entry).get(
                CONF_ID)}): TextSelector(),
            vol.Required(CONF_TOKEN): TextSelector(
                TextSelectorConfig(type=TextSelectorType.PASSWORD))})
        return self.async_show_form(step_id="reauth_confirm", data_schema=schema, errors=errors,
                                    description_placeholders=placeholders)

    @staticmethod
    @callback
    def async_get_options_flow(config_entry):
        return DDNSOptionsFlow()


class DDNSOptionsFlow(OptionsFlow):
    """Everything of the form, credentials included, without removing the entry."""

    async def async_step_init(self, user_input=None):
        errors, placeholders = {}, {"error": ""}
        current = settings_of(self.config_entry)
        if user_input is not None:
            settings = _clean(user_input)
            if not settings.get(CONF_TOKEN) and current.get(CONF_TOKEN) and \
                    settings[CONF_PROVIDER] == current[CONF_PROVIDER]:
                settings[CONF_TOKEN] = current[CONF_TOKEN]  # left empty: keep the token
            uid = unique_id_of(settings)
            others = [e for e in self.hass.config_entries.async_entries(DOMAIN)
                      if e.entry_id != self.config_entry.entry_id and e.unique_id == uid]
            if others:
                errors = {"base": "already_configured"}
            else:
                errors, found = await _check(self.hass, settings)
                placeholders.update(found)
            if not errors:
                await self.hass.async_add_executor_job(
                    runner.forget_refusal, settings,
                    cache_path(self.hass, self.config_entry.entry_id))
                if uid != self.config_entry.unique_id:
                    self.hass.config_entries.async_update_entry(self.config_entry, unique_id=uid)
                return self.async_create_entry(data=settings)
            current = settings
        shown = {k: v for k, v in current.items() if k != CONF_TOKEN}  # never sent to a browser
        return self.async_show_form(step_id="init", data_schema=_schema(shown), errors=errors,
                                    description_placeholders=placeholders)
