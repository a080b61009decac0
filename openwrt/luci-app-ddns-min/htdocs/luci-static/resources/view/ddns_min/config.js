'use strict';
'require view';
'require form';
'require uci';

// Settings of /etc/config/ddns_min: one `config ddns_min NAME` section per set of records that
// share a provider account and an address source. The option names are exactly those
// ddns_min/uci.py accepts (the client's config keys, plus enabled, interface and interval that
// the init and hotplug scripts read), and the checks below say what the client would refuse.

// ddns_min/providers/__init__.py NAMES, in that order (tests/test_luci.py compares them).
var PROVIDERS = [ 'cloudflare', 'dnspod', 'dnspod_com', 'tencentcloud', 'callback', 'dyndns2',
	'noip', 'dynu', 'pwdns', 'huaweidns', 'he', 'cloudns', 'duckdns', 'desec', 'dynv6', 'namesilo',
	'porkbun', 'namecheap', 'edgeone', 'edgeone_dns', 'alidns', 'aliesa', 'dnscom', '51dns', 'west',
	'debug' ];
var LOG_LEVELS = [ 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL' ];
var MIN_INTERVAL = 30;

// The API token never reaches the page: uci's reply holds the whole file, so the token is
// dropped from the client-side copy as soon as it arrives (every load, also the one after
// Save), and only whether one is set is kept. The field starts empty; what is typed there
// replaces the token, an empty field keeps it.
var tokenSet = {};
var scrubbed = [];

function forgetTokens() {
	var values = uci.state.values.ddns_min;

	if (!values)
		return;

	for (var sid in values) {
		var section = values[sid];

		// uci-loaded comes for every package loaded: look at each fresh copy once.
		if (!section || section['.type'] != 'ddns_min' || scrubbed.indexOf(section) >= 0)
			continue;

		tokenSet[sid] = (section.token != null && section.token != '');
		delete section.token;
		scrubbed.push(section);
	}
}

document.addEventListener('uci-loaded', forgetTokens);

// config.check_domain: labels of letters, digits, - and _, a first label of * for a wildcard,
// at least two labels, not all-digit at the end; with zone_id also a name inside that zone.
function domainError(name, relativeOk) {
	var text = String(name).trim().toLowerCase();

	if (text.charAt(text.length - 1) == '.')
		text = text.substr(0, text.length - 1);

	if (relativeOk && (text == '@' || (text != '' && text.indexOf('.') < 0 &&
			domainError(text + '.example.com') == null)))
		return null;

	var labels = text.split('.');
	var ok = text.length > 3 && text.length <= 253 && labels.length >= 2;

	for (var i = 0; ok && i < labels.length; i++) {
		var label = labels[i];

		if (label == '*' && i == 0)
			continue;

		ok = label.length > 0 && label.length <= 63 && label.charAt(0) != '-' &&
			label.charAt(label.length - 1) != '-' && /^[a-z0-9_-]+$/.test(label);
	}

	if (!ok || /^[0-9]+$/.test(labels[labels.length - 1]))
		return _('Malformed domain name "%s" (expected e.g. home.example.com; IDNs in punycode)').format(name);

	return null;
}

function isIPv4(text) {
	var parts = text.split('.');

	if (parts.length != 4)
		return false;

	for (var i = 0; i < 4; i++)
		if (!/^[0-9]{1,3}$/.test(parts[i]) || +parts[i] > 255)
			return false;

	return true;
}

function isIPv6(text) {
	if (text.indexOf(':') < 0 || !/^[0-9a-fA-F:.]+$/.test(text))
		return false;

	var halves = text.split('::');

	if (halves.length > 2)
		return false;

	var groups = [];

	for (var h = 0; h < halves.length; h++)
		if (halves[h] != '')
			groups = groups.concat(halves[h].split(':'));

	var count = 0;

	for (var i = 0; i < groups.length; i++) {
		if (i == groups.length - 1 && groups[i].indexOf('.') >= 0) {
			if (!isIPv4(groups[i]))
				return false;
			count += 2;
		}
		else if (/^[0-9a-fA-F]{1,4}$/.test(groups[i])) {
			count++;
		}
		else {
			return false;
		}
	}

	return halves.length == 2 ? count < 8 : count == 8;
}

// The 8 groups of an IPv6 address (isIPv6 said it is one); an embedded IPv4 part as two.
function groups6(text) {
	var halves = text.split('::'), parts = [];

	for (var h = 0; h < halves.length; h++) {
		var g = halves[h] == '' ? [] : halves[h].split(':'), out = [];

		for (var i = 0; i < g.length; i++) {
			if (g[i].indexOf('.') >= 0) {
				var b = g[i].split('.');
				out.push(+b[0] * 256 + +b[1], +b[2] * 256 + +b[3]);
			}
			else {
				out.push(parseInt(g[i], 16));
			}
		}
		parts.push(out);
	}

	if (parts.length == 1)
		return parts[0];

	var fill = [];
	for (var n = parts[0].length + parts[1].length; n < 8; n++)
		fill.push(0);

	return parts[0].concat(fill, parts[1]);
}

// hosts.parse: NAME=HOST[/N] in ipv6, HOST an address whose first N bits are zero, or mac:MAC.
function hostError(entry, relativeOk) {
	var text = String(entry).trim(), cut = text.indexOf('=');

	if (cut < 0)
		return domainError(text, relativeOk);

	var name = text.substr(0, cut), host = text.substr(cut + 1).trim().toLowerCase();
	var bad = domainError(name, relativeOk);

	if (bad)
		return bad;

	var body = host.split('/')[0], bits = 64;

	if (host.indexOf('/') >= 0) {
		bits = host.split('/').slice(1).join('/');
		if (!/^[0-9]+$/.test(bits) || +bits < 1 || +bits > 127)
			return _('Host part "%s": the prefix length after / must be 1..127').format(host);
		bits = +bits;
	}

	if (body.indexOf('mac:') == 0) {
		var mac = body.substr(4).replace(/[:.-]/g, '');

		if (!/^[0-9a-f]{12}$/.test(mac) || (parseInt(mac.substr(0, 2), 16) & 1))
			return _('Host part "%s": mac: needs a unicast MAC address like 02:11:22:33:44:55').format(host);

		return bits > 64 ? _('Host part "%s": a MAC address allows at most /64').format(host) : null;
	}

	if (!isIPv6(body))
		return _('Host part "%s" is not an IPv6 host part (e.g. ::1234:5678) nor mac:MAC').format(host);

	var g = groups6(body);

	for (var i = 0; i < 8 && bits > i * 16; i++) {
		var keep = Math.min(16, bits - i * 16);

		if (g[i] >> (16 - keep))
			return _('Host part "%s": its first %d bits are not zero: they are the prefix\'s, which comes from the IPv6 rule').format(host, bits);
	}

	return null;
}

// The client's patterns are Python's; JavaScript's are close enough to catch a typo.
function regexError(pattern) {
	try {
		new RegExp(pattern);
	}
	catch (e) {
		return _('Invalid regular expression "%s"').format(pattern);
	}

	return null;
}

// config.check_rule: the IP rules the client knows, for family 4 or 6.
function ruleError(rule, family) {
	var text = String(rule).trim();
	var low = text.toLowerCase();
	var prefixes = [ 'url:', 'dns:', 'interface:', 'prefix:', 'regex:', 'cmd:', 'shell:' ];

	if ([ 'default', 'public', 'false', 'none', 'off' ].indexOf(low) >= 0 || /^[0-9]+$/.test(text))
		return null;

	for (var i = 0; i < prefixes.length; i++) {
		if (low.indexOf(prefixes[i]) != 0)
			continue;

		var body = text.substr(prefixes[i].length).trim();

		if (body == '')
			return _('Rule "%s" needs a value after "%s"').format(text, prefixes[i]);

		if (prefixes[i] == 'url:' && !/^https?:\/\//.test(body))
			return _('Rule "%s" must be an http:// or https:// URL').format(text);

		if (prefixes[i] == 'regex:')
			return regexError(body);

		// values._check_prefix: prefix:ADDRESS/LENGTH or prefix:INTERFACE, IPv6 only
		if (prefixes[i] == 'prefix:') {
			if (family != 6)
				return _('Rule "%s": prefix: is an IPv6 rule').format(text);

			var net = body.split('/')[0], len = body.split('/').slice(1).join('/');

			if ((body.indexOf('/') >= 0 || body.indexOf(':') >= 0) && (!isIPv6(net) ||
					!/^[0-9]+$/.test(len) || +len < 1 || +len > 128))
				return _('Rule "%s" must be prefix:ADDRESS/LENGTH or prefix:INTERFACE').format(text);
		}

		// addr.host_port: HOST, HOST:PORT, [IPv6]:PORT or a bare IPv6 address
		if (prefixes[i] == 'dns:') {
			var port = null;

			if (body.charAt(0) == '[') {
				var rest = body.substr(1).split(']').slice(1).join(']');

				if (rest.charAt(0) == ':')
					port = rest.substr(1);
			}
			else if (body.split(':').length == 2) {
				port = body.split(':')[1];
			}

			if (port != null && !/^[0-9]+$/.test(port))
				return _('Rule "%s" must be dns:HOST or dns:HOST:PORT').format(text);
		}

		return null;
	}

	if (isIPv4(text) || isIPv6(text)) {
		if ((family == 4) != isIPv4(text))
			return _('"%s" is not an IPv%d address').format(text, family);

		return null;
	}

	if (/[\\*^$\[\](){}+?|]/.test(text))
		return regexError(text); // a bare pattern: a regex over this router's addresses

	return _('Unknown IP rule "%s" (use default, public, url:URL, interface:NAME, prefix:NAME, regex:PATTERN, cmd:COMMAND, shell:COMMAND, an address, a number or false)').format(text);
}

// config.check_endpoint: https://, or plain http:// only to this router itself.
function endpointError(value) {
	var url = String(value).trim().replace(/\/+$/, '');
	var rest = url.split('://').slice(1).join('://').split(/[\/?#]/)[0];
	var host = rest.substr(rest.lastIndexOf('@') + 1);

	if (host.charAt(0) == '[')
		host = host.substr(1).split(']')[0];
	else if (host.split(':').length == 2)
		host = host.split(':')[0];

	if (/^https:\/\//.test(url) && host != '')
		return null;

	// loopback: localhost or an address literal in 127.0.0.0/8 or ::1, as the client's check
	// (a name such as 127.0.0.1.example.net resolves anywhere)
	var v4 = host.match(/^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
	var loopback = host == 'localhost' || host == '::1' ||
		(v4 != null && +v4[1] < 256 && +v4[2] < 256 && +v4[3] < 256);

	if (/^http:\/\//.test(url) && loopback)
		return null;

	return _('Must be an https:// URL (plain http:// only for loopback)');
}

// config.validate: ttl 1 to 604800 seconds; uci._check_interval: interval 0 or at least 30.
function ttlError(value) {
	if (!/^[0-9]+$/.test(String(value)) || +value < 1 || +value > 604800)
		return _('Must be between 1 and 604800 seconds');

	return null;
}

function intervalError(value) {
	if (!/^[0-9]+$/.test(String(value)) || (+value > 0 && +value < MIN_INTERVAL))
		return _('Must be 0 (no periodic check) or at least %d seconds').format(MIN_INTERVAL);

	return null;
}

// A name of ipv4/ipv6; with a zone_id, also one relative to that zone.
function validateName(section_id, value) {
	if (value == null || value === '')
		return true;

	var zone = this.section.formvalue(section_id, 'zone_id');

	return domainError(value, zone != null && zone != '') || true;
}

// An option that is written only when its value changed: a Save touches nothing else in the
// file (each real change restarts the section's run, through procd's file trigger).
function keepUnchanged(o) {
	o.write = function(section_id, value) {
		var old = this.cfgvalue(section_id);

		if (Array.isArray(value) ? (Array.isArray(old) && old.join('\n') == value.join('\n')) : old === value)
			return;

		return uci.set('ddns_min', section_id, this.option, value);
	};

	return o;
}

// A list that may be an `option` in the file (one value) or a `list`: left as it is while its
// values stay the same.
function listOption(s, tab, name, title, description) {
	var o = keepUnchanged(s.taboption(tab, form.DynamicList, name, title, description));

	o.cfgvalue = function(section_id) {
		var value = uci.get('ddns_min', section_id, this.option);

		return value == null ? null : L.toArray(value);
	};

	return o;
}

return view.extend({
	// The checks, for tests/test_luci.py (it compares them with the client's own).
	checks: { domain: domainError, host: hostError, rule: ruleError, endpoint: endpointError, ttl: ttlError,
		interval: intervalError, providers: PROVIDERS },

	load: function() {
		return uci.load('ddns_min');
	},

	render: function() {
		var m, s, o;

		m = new form.Map('ddns_min', _('Dynamic DNS (ddns_min)'),
			_('Each section keeps the A and AAAA records of its names pointed at this router\'s addresses, at one provider account. It updates when its interface comes up or changes addresses, and every interval if one is set.'));

		s = m.section(form.TypedSection, 'ddns_min', _('Record sets'));
		s.addremove = true;
		s.anonymous = false;
		s.addbtntitle = _('Add record set');

		s.tab('general', _('General'));
		s.tab('address', _('Addresses'));
		s.tab('advanced', _('Advanced'));

		o = keepUnchanged(s.taboption('general', form.Flag, 'enabled', _('Enabled'),
			_('Run this section at start, on its interface\'s events and every interval.')));
		o.cfgvalue = function(section_id) { // uci's booleans, as the init script reads them
			var value = uci.get('ddns_min', section_id, 'enabled');

			return [ '1', 'on', 'true', 'yes', 'enabled' ].indexOf(String(value).toLowerCase()) >= 0 ? '1' : '0';
		};
		o.rmempty = false;

		o = s.taboption('general', form.ListValue, 'dns', _('Provider'));
		PROVIDERS.forEach(function(name) { o.value(name); });
		o.default = 'cloudflare';
		o.rmempty = false;

		o = s.taboption('general', form.Value, 'id', _('ID'),
			_('DNSPod: the token\'s ID. Cloudflare: the account e-mail, only with a Global API Key. Callback: the URL to call.'));

		o = s.taboption('general', form.Value, 'token', _('API token'),
			_('Cloudflare: an API token with Zone.DNS edit; DNSPod: the token. It is never shown here: type a new one to replace it, leave the field empty to keep it.'));
		o.password = true;
		o.optional = true;
		o.cfgvalue = function(section_id) { return null; };
		o.remove = function(section_id) {}; // an empty field keeps the saved token
		o.write = function(section_id, value) {
			tokenSet[section_id] = true;
			return uci.set('ddns_min', section_id, 'token', value);
		};
		o.renderWidget = function(section_id, option_index, cfgvalue) {
			var node = form.Value.prototype.renderWidget.apply(this, arguments);
			var input = node.querySelector('input');

			if (input) {
				input.setAttribute('placeholder', tokenSet[section_id]
					? _('(saved; type to replace)') : _('(not set)'));
				input.setAttribute('autocomplete', 'new-password');
			}

			return node;
		};

		o = listOption(s, 'general', 'ipv4', _('IPv4 names'),
			_('Names whose A record gets this router\'s IPv4 address.'));
		o.validate = validateName;

		o = listOption(s, 'general', 'ipv6', _('IPv6 names'),
			_('Names whose AAAA record gets this router\'s IPv6 address; NAME=HOST for a host behind the router: the current prefix + its host part (nas.example.com=::1234:5678, cam.example.com=mac:02:11:22:33:44:55).'));
		o.validate = function(section_id, value) {
			if (value == null || value === '')
				return true;

			var zone = this.section.formvalue(section_id, 'zone_id');

			return hostError(value, zone != null && zone != '') || true;
		};

		o = s.taboption('general', form.Value, 'interval', _('Check interval'),
			_('Seconds between periodic checks; 0 or empty: only at start and on interface events. A check whose address has not changed sends nothing to the provider.'));
		o.placeholder = '0';
		o.validate = function(section_id, value) {
			return (value == null || value === '') ? true : (intervalError(value) || true);
		};

		o = listOption(s, 'address', 'interface', _('Interfaces'),
			_('Logical interfaces to follow, e.g. wan and wan6: their ifup and address changes start an update, and their own addresses are used.'));
		o.datatype = 'uciname';

		o = listOption(s, 'address', 'index4', _('IPv4 address rules'),
			_('Where the IPv4 address comes from instead of the interface, tried in order: default, public (ask echo services: behind another router or CGNAT), url:URL, interface:NAME, regex:PATTERN, cmd:COMMAND, shell:COMMAND, an address, a number, or false to leave it alone.'));
		o.validate = function(section_id, value) {
			if (value == null || value === '')
				return true;
			return ruleError(value, 4) || true;
		};

		o = listOption(s, 'address', 'index6', _('IPv6 address rules'),
			_('The same for IPv6.'));
		o.validate = function(section_id, value) {
			if (value == null || value === '')
				return true;
			return ruleError(value, 6) || true;
		};

		o = s.taboption('advanced', form.Value, 'ttl', _('TTL'),
			_('TTL of created and updated records, in seconds (empty: the provider\'s default, or kept as is).'));
		o.validate = function(section_id, value) {
			return (value == null || value === '') ? true : (ttlError(value) || true);
		};

		o = s.taboption('advanced', form.ListValue, 'proxied', _('Cloudflare proxy'),
			_('Proxy status of created and updated records.'));
		o.value('', _('keep as is'));
		o.value('1', _('proxied'));
		o.value('0', _('DNS only'));
		o.depends('dns', 'cloudflare');

		o = s.taboption('advanced', form.Value, 'zone_id', _('Zone ID'),
			_('Cloudflare: the zone\'s ID, for a token that may not list zones; names may then be relative to it (@ for the zone itself).'));
		o.depends('dns', 'cloudflare');

		o = s.taboption('advanced', form.Value, 'line', _('Record line'),
			_('DNSPod record line (empty: the default line).'));
		o.depends('dns', 'dnspod');
		o.depends('dns', 'dnspod_com');
		o.depends('dns', 'tencentcloud');

		o = s.taboption('advanced', form.Value, 'endpoint', _('API endpoint'),
			_('The provider\'s API base URL, if not its usual one.'));
		o.validate = function(section_id, value) {
			if (value == null || value === '')
				return true;
			return endpointError(value) || true;
		};

		o = s.taboption('advanced', form.ListValue, 'log', _('Log level'),
			_('Log lines go to the system log: logread -e ddns_min.'));
		o.value('', _('default (INFO)'));
		LOG_LEVELS.forEach(function(level) { o.value(level); });

		return m.render();
	}
});
