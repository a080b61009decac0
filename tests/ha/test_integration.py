"""The integration in a real Home Assistant core, against the Cloudflare emulator."""
import json
import socket

import pytest

from homeassistant import config_entries
from homeassistant.config_entries import ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er

from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry)

from custom_components.ddns_min.const import DOMAIN, PROVIDERS
from conftest import TOKEN

A, AAAA = "81.2.69.142", "2a02:ec0::1"


async def start_flow(hass, user_input):
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER})
    assert result["type"] is FlowResultType.FORM and result["step_id"] == "user"
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


async def setup_entry(hass, user_input):
    result = await start_flow(hass, user_input)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    return entry


def entity_ids(hass, entry):
    reg = er.async_get(hass)
    return sorted(e.entity_id for e in er.async_entries_for_config_entry(reg, entry.entry_id))


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


async def test_form_lists_the_clients_providers(hass):
    from custom_components.ddns_min import runner
    names = await hass.async_add_executor_job(runner.provider_names)
    assert PROVIDERS == [n for n in names if n != "debug"]


async def test_config_flow_creates_an_entry_after_one_read(hass, cloudflare, user_input):
    result = await start_flow(hass, user_input)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "cloudflare home.example.com"
    assert result["data"]["token"] == TOKEN
    # The check read before anything was written; then the entry's first pass made the records.
    methods = [r.method for r in cloudflare.requests]
    assert methods[:2] == ["GET", "GET"]
    await hass.async_block_till_done()
    assert sorted(r["type"] for r in cloudflare.records()) == ["A", "AAAA"]


async def test_refused_token_is_invalid_auth(hass, cloudflare, user_input):
    result = await start_flow(hass, dict(user_input, token="wrong-token"))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    assert "wrong-token" not in json.dumps(result["description_placeholders"])
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_unreachable_provider_is_cannot_connect(hass, cloudflare, user_input):
    url = "http://127.0.0.1:%d/client/v4" % closed_port()
    result = await start_flow(hass, dict(user_input, endpoint=url))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}


async def test_bad_settings_are_invalid_config(hass, cloudflare, user_input):
    result = await start_flow(hass, dict(user_input, ipv4="not a name!", ipv6=""))
    assert result["errors"] == {"base": "invalid_config"}


async def test_entities_hold_the_records_after_an_update(hass, cloudflare, user_input):
    entry = await setup_entry(hass, user_input)
    assert entity_ids(hass, entry) == [
        "binary_sensor.cloudflare_home_example_com_home_example_com_a_problem",
        "binary_sensor.cloudflare_home_example_com_home_example_com_aaaa_problem",
        "button.cloudflare_home_example_com_update_now",
        "sensor.cloudflare_home_example_com_home_example_com_a",
        "sensor.cloudflare_home_example_com_home_example_com_aaaa"]
    a = hass.states.get("sensor.cloudflare_home_example_com_home_example_com_a")
    assert a.state == A
    assert a.attributes["provider"] == "cloudflare"
    assert a.attributes["last_action"] == "created"
    assert a.attributes["last_verified"] and a.attributes["last_changed"]
    aaaa = hass.states.get("sensor.cloudflare_home_example_com_home_example_com_aaaa")
    assert aaaa.state == AAAA
    problem = hass.states.get(
        "binary_sensor.cloudflare_home_example_com_home_example_com_a_problem")
    assert problem.state == "off" and problem.attributes["last_error"] is None
    assert sorted((r["type"], r["content"]) for r in cloudflare.records()) == \
        [("A", A), ("AAAA", AAAA)]
    # The state file is in HA's storage folder.
    state = hass.config.path(".storage", "ddns_min_%s.json" % entry.entry_id)
    with open(state) as f:
        assert len(json.load(f)["records"]) == 2


async def test_button_and_service_run_a_pass(hass, cloudflare, user_input):
    entry = await setup_entry(hass, user_input)
    rid = [r["id"] for r in cloudflare.records(type="A")][0]
    # The record was changed by hand at the provider, and the state file forgotten: the
    # button's pass reads the record again and repairs it.
    cloudflare.set_record(rid, content="81.2.69.1")
    import os
    os.remove(hass.config.path(".storage", "ddns_min_%s.json" % entry.entry_id))
    await hass.services.async_call("button", "press",
                                   {"entity_id": "button.cloudflare_home_example_com_update_now"},
                                   blocking=True)
    a = hass.states.get("sensor.cloudflare_home_example_com_home_example_com_a")
    assert a.state == A and a.attributes["last_action"] == "updated"
    assert cloudflare.records(type="A")[0]["content"] == A
    report = await hass.services.async_call(DOMAIN, "update", {"config_entry_id": entry.entry_id},
                                            blocking=True, return_response=True)
    assert report["ok"] is True and report["exit_code"] == 0
    assert [(r["type"], r["action"]) for r in report["records"]] == \
        [("A", "cached"), ("AAAA", "cached")]


async def test_a_failing_record_turns_its_problem_on(hass, cloudflare, user_input):
    entry = await setup_entry(hass, dict(user_input, ipv6="home.example.com, other.example.net"))
    assert entry.state is ConfigEntryState.LOADED
    problem = hass.states.get(
        "binary_sensor.cloudflare_home_example_com_other_example_net_aaaa_problem")
    assert problem.state == "on"
    assert "no zone" in problem.attributes["last_error"]
    ok = hass.states.get("binary_sensor.cloudflare_home_example_com_home_example_com_a_problem")
    assert ok.state == "off"


async def test_network_failure_makes_entities_unavailable(hass, cloudflare, user_input):
    entry = await setup_entry(hass, user_input)
    coordinator = entry.runtime_data
    os_state = hass.config.path(".storage", "ddns_min_%s.json" % entry.entry_id)
    import os
    os.remove(os_state)  # the next pass must ask the provider
    cloudflare.stop()
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    sensor = hass.states.get("sensor.cloudflare_home_example_com_home_example_com_a")
    assert sensor.state == "unavailable"
    assert coordinator.update_interval == coordinator.interval  # first retry: one interval
    await coordinator.async_refresh()
    assert coordinator.update_interval == coordinator.interval * 2  # then doubling
    assert entry.state is ConfigEntryState.LOADED
    assert not list(hass.config_entries.flow.async_progress_by_handler(DOMAIN))


async def test_options_flow_changes_the_settings(hass, cloudflare, user_input):
    entry = await setup_entry(hass, user_input)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM and result["step_id"] == "init"
    # The token is never put back into the form (a browser would get it).
    assert TOKEN not in json.dumps(str(result["data_schema"].schema))
    changed = dict(user_input, ipv4="home.example.com, nas.example.com", ipv6="",
                   index4="81.2.69.143", interval=10)
    del changed["token"]  # left empty: the current token stays
    result = await hass.config_entries.options.async_configure(result["flow_id"], changed)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.options["interval"] == 10 and entry.options["token"] == TOKEN
    assert entry.runtime_data.update_interval.total_seconds() == 600
    nas = hass.states.get("sensor.cloudflare_home_example_com_nas_example_com_a")
    assert nas.state == "81.2.69.143"
    # No AAAA names any more: their entities are gone from the registry.
    assert [e for e in entity_ids(hass, entry) if "aaaa" in e] == []
    assert len(entity_ids(hass, entry)) == 5
    assert cloudflare.records(name="home.example.com", type="A")[0]["content"] == "81.2.69.143"


async def test_options_flow_checks_new_credentials(hass, cloudflare, user_input):
    entry = await setup_entry(hass, user_input)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], dict(user_input, token="not-the-token"))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    assert entry.options == {}


async def test_second_entry_for_another_account_and_not_the_same(hass, cloudflare, user_input):
    await setup_entry(hass, user_input)
    again = await start_flow(hass, user_input)
    assert again["type"] is FlowResultType.ABORT and again["reason"] == "already_configured"
    cloudflare.tokens["tok-other"] = None
    cloudflare.add_zone("example.org")
    other = await setup_entry(hass, dict(user_input, token="tok-other", ipv4="a.example.org",
                                         ipv6=""))
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2
    assert hass.states.get("sensor.cloudflare_a_example_org_a_example_org_a").state == A
    assert other.unique_id != hass.config_entries.async_entries(DOMAIN)[0].unique_id


async def test_revoked_token_starts_reauth(hass, cloudflare, user_input):
    entry = await setup_entry(hass, user_input)
    import os
    os.remove(hass.config.path(".storage", "ddns_min_%s.json" % entry.entry_id))
    del cloudflare.tokens[TOKEN]  # revoked at the provider
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    flows = list(hass.config_entries.flow.async_progress_by_handler(DOMAIN))
    assert len(flows) == 1 and flows[0]["context"]["source"] == "reauth"
    flow_id = flows[0]["flow_id"]
    sensor = hass.states.get("sensor.cloudflare_home_example_com_home_example_com_a")
    assert sensor.state == "unavailable"
    # A token that is refused again keeps the form open, as invalid_auth.
    result = await hass.config_entries.flow.async_configure(flow_id, {"token": "still-wrong"})
    assert result["type"] is FlowResultType.FORM and result["errors"] == {"base": "invalid_auth"}
    cloudflare.tokens["tok-new"] = None
    result = await hass.config_entries.flow.async_configure(flow_id, {"token": "tok-new"})
    assert result["type"] is FlowResultType.ABORT and result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.data["token"] == "tok-new"
    assert entry.state is ConfigEntryState.LOADED
    sensor = hass.states.get("sensor.cloudflare_home_example_com_home_example_com_a")
    assert sensor.state == A


async def test_reauth_with_the_same_token_once_it_works_again(hass, cloudflare, user_input):
    """ddns_min remembers a refusal for an hour; a re-authentication that a read at the
    provider confirmed makes it ask again at once."""
    entry = await setup_entry(hass, user_input)
    import os
    os.remove(hass.config.path(".storage", "ddns_min_%s.json" % entry.entry_id))
    del cloudflare.tokens[TOKEN]
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    flow_id = list(hass.config_entries.flow.async_progress_by_handler(DOMAIN))[0]["flow_id"]
    cloudflare.tokens[TOKEN] = None  # the permission is given back at the provider
    result = await hass.config_entries.flow.async_configure(flow_id, {"token": TOKEN})
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.cloudflare_home_example_com_home_example_com_a").state == A
    assert not list(hass.config_entries.flow.async_progress_by_handler(DOMAIN))


async def test_refused_at_setup_starts_reauth(hass, cloudflare, user_input):
    data = dict(user_input, token="gone-token")
    entry = MockConfigEntry(domain=DOMAIN, data=data, unique_id="cloudflare:x", title="t")
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = list(hass.config_entries.flow.async_progress_by_handler(DOMAIN))
    assert [f["context"]["source"] for f in flows] == ["reauth"]


async def test_unload_reload_and_remove(hass, cloudflare, user_input):
    entry = await setup_entry(hass, user_input)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get("sensor.cloudflare_home_example_com_home_example_com_a").state == \
        "unavailable"
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.cloudflare_home_example_com_home_example_com_a").state == A
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    import os
    state = hass.config.path(".storage", "ddns_min_%s.json" % entry.entry_id)
    assert os.path.exists(state)
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert not os.path.exists(state)


async def test_diagnostics_hold_no_secret(hass, hass_client, cloudflare, user_input):
    entry = await setup_entry(hass, user_input)
    diag = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diag)
    assert TOKEN not in text
    assert diag["entry"]["data"]["token"] == "**REDACTED**"
    assert cloudflare.url not in text  # a callback's endpoint may hold a key: redacted too
    assert diag["coordinator"]["last_update_success"] is True
    assert diag["coordinator"]["data"]["report"]["records"][0]["domain"] == "home.example.com"


async def test_service_needs_a_loaded_entry(hass, cloudflare, user_input):
    from homeassistant.exceptions import ServiceValidationError
    await setup_entry(hass, user_input)
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(DOMAIN, "update", {"config_entry_id": "nope"},
                                       blocking=True, return_response=True)


async def test_reauth_after_the_options_flow_saved_the_settings(hass, cloudflare, user_input):
    entry = await setup_entry(hass, user_input)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], dict(user_input, interval=7))
    await hass.async_block_till_done()
    assert entry.options["token"] == TOKEN
    import os
    os.remove(hass.config.path(".storage", "ddns_min_%s.json" % entry.entry_id))
    del cloudflare.tokens[TOKEN]
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    flow_id = list(hass.config_entries.flow.async_progress_by_handler(DOMAIN))[0]["flow_id"]
    cloudflare.tokens["tok-new"] = None
    result = await hass.config_entries.flow.async_configure(flow_id, {"token": "tok-new"})
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.options["token"] == "tok-new" and entry.options["interval"] == 7
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.cloudflare_home_example_com_home_example_com_a").state == A


async def test_home_assistant_loads_the_manifest_strings_and_services(hass):
    """What Home Assistant itself reads from the integration's folder, read by HA's code."""
    from homeassistant.helpers.service import async_get_all_descriptions
    from homeassistant.helpers.translation import async_get_translations
    from homeassistant.loader import async_get_integration
    from homeassistant.setup import async_setup_component
    integration = await async_get_integration(hass, DOMAIN)
    assert integration.config_flow and integration.iot_class == "cloud_polling"
    assert integration.integration_type == "service" and integration.version == "0.1.0"
    assert await async_setup_component(hass, DOMAIN, {})
    config = await async_get_translations(hass, "en", "config", [DOMAIN])
    for error in ("invalid_auth", "cannot_connect", "invalid_config", "api_error"):
        assert "component.ddns_min.config.error.%s" % error in config
    options = await async_get_translations(hass, "en", "options", [DOMAIN])
    assert "component.ddns_min.options.error.already_configured" in options
    entity = await async_get_translations(hass, "en", "entity", [DOMAIN])
    assert entity["component.ddns_min.entity.sensor.record.name"] == "{domain} {type}"
    services = await async_get_all_descriptions(hass)
    assert services[DOMAIN]["update"]["fields"]["config_entry_id"]["required"] is True


def test_loading_the_integration_does_not_import_the_client():
    """HA imports the integration and its platforms at start: the client waits for a pass."""
    import subprocess
    import sys
    import os
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    code = ("import sys\n"
            "import custom_components.ddns_min, custom_components.ddns_min.config_flow\n"
            "import custom_components.ddns_min.sensor, custom_components.ddns_min.binary_sensor\n"
            "import custom_components.ddns_min.button, custom_components.ddns_min.diagnostics\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'ddns_min'))\n")
    out = subprocess.check_output([sys.executable, "-c", code], cwd=root)
    assert out.decode().strip() == "[]"


async def test_dnspod_entry_and_its_refused_token(hass, dnspod):
    form = {"provider": "dnspod", "id": "12345", "token": "dp-wrong", "ipv4": "home.example.com",
            "index4": A, "interval": 5, "endpoint": dnspod.url}
    result = await start_flow(hass, form)
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(  # the user corrects the form
        result["flow_id"], dict(form, token="dp-s3cr3t"))
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.unique_id.startswith("dnspod:") and "12345" not in entry.unique_id
    assert hass.states.get("sensor.dnspod_home_example_com_home_example_com_a").state == A
    assert [(r["type"], r["value"]) for r in dnspod.records(sub_domain="home")] == [("A", A)]
