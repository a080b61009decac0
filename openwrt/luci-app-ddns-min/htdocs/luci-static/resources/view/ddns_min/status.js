'use strict';
'require view';
'require fs';
'require ui';
'require uci';
'require poll';
'require dom';

// What each section of /etc/config/ddns_min last did, from the client's state file:
// `ddns-min -c /etc/config/ddns_min --section NAME --status` prints it as JSON without any
// network request. "Update now" runs the section as the init and hotplug scripts do
// (/usr/lib/ddns_min/run NAME): only the section name is on the command line, the client reads
// the token from the UCI file itself.

var CONFIG = '/etc/config/ddns_min';
var CLIENT = '/usr/bin/ddns-min';
var RUN = '/usr/lib/ddns_min/run';

// The status needs the section names only: the token is dropped from uci's copy as it arrives.
document.addEventListener('uci-loaded', function() {
	var values = uci.state.values.ddns_min;

	for (var sid in (values || {}))
		if (values[sid])
			delete values[sid].token;
});

function readStatus(sid) {
	return fs.exec(CLIENT, [ '-c', CONFIG, '--section', sid, '--status' ]).then(function(res) {
		if (res.code == 0) {
			try {
				return { section: sid, status: JSON.parse(res.stdout) };
			}
			catch (e) {}
		}

		return { section: sid, error: (res.stderr || res.stdout || '').trim() ||
			_('ddns-min exited with code %d').format(res.code) };
	}).catch(function(err) {
		return { section: sid, error: err.message };
	});
}

function when(stamp) {
	return stamp ? String(stamp).replace('T', ' ').replace('Z', ' UTC') : '-';
}

// The client's exit codes (README "Output and exit codes").
function outcome(code) {
	switch (code) {
	case 0: return _('Done: no record failed.');
	case 1: return _('A record failed at run time (network, provider, no address found).');
	case 2: return _('Configuration error: no provider request was sent.');
	case 3: return _('The provider refused the credentials.');
	default: return _('Exit code %d.').format(code);
	}
}

return view.extend({
	load: function() {
		return uci.load('ddns_min').then(function() {
			return Promise.all(uci.sections('ddns_min', 'ddns_min').map(function(s) {
				return readStatus(s['.name']);
			}));
		});
	},

	updateNow: function(sid, ev) {
		return fs.exec(RUN, [ sid, 'once' ]).then(L.bind(function(res) {
			var lines = ((res.stderr || '') + (res.stdout || '')).trim();

			ui.addNotification(_('Update of %s').format(sid), [
				E('p', outcome(res.code)),
				lines ? E('pre', { 'style': 'white-space:pre-wrap' }, lines) : ''
			], res.code == 0 ? 'info' : 'warning');

			return this.refresh();
		}, this)).catch(function(err) {
			ui.addNotification(_('Update of %s').format(sid), [
				E('p', _('No answer from the update: %s').format(err.message)),
				E('p', _('A run that fails at run time tries again after 1, 2 and 3 minutes; the log tells: logread -e ddns_min.'))
			], 'danger');
		});
	},

	refresh: function() {
		return Promise.all(uci.sections('ddns_min', 'ddns_min').map(function(s) {
			return readStatus(s['.name']);
		})).then(L.bind(function(results) {
			var node = document.getElementById('ddns_min_status');

			if (node)
				dom.content(node, this.renderSections(results));
		}, this));
	},

	renderRecords: function(result) {
		if (result.error)
			return E('div', { 'class': 'alert-message warning' }, result.error);

		var records = (result.status && result.status.records) || [];

		if (!records.length)
			return E('p', { 'class': 'cbi-section-descr' },
				_('No update yet: nothing is recorded for this section.'));

		var table = E('table', { 'class': 'table' }, [
			E('tr', { 'class': 'tr table-titles' }, [
				E('th', { 'class': 'th' }, _('Domain')),
				E('th', { 'class': 'th' }, _('Type')),
				E('th', { 'class': 'th' }, _('Address')),
				E('th', { 'class': 'th' }, _('Last verified')),
				E('th', { 'class': 'th' }, _('Last changed')),
				E('th', { 'class': 'th' }, _('Last error'))
			])
		]);

		records.forEach(function(r) {
			table.appendChild(E('tr', { 'class': 'tr' }, [
				E('td', { 'class': 'td', 'data-title': _('Domain') }, r.domain || '-'),
				E('td', { 'class': 'td', 'data-title': _('Type') }, r.type || '-'),
				E('td', { 'class': 'td', 'data-title': _('Address') }, r.ip || '-'),
				E('td', { 'class': 'td', 'data-title': _('Last verified') }, when(r.verified)),
				E('td', { 'class': 'td', 'data-title': _('Last changed') }, when(r.changed)),
				E('td', { 'class': 'td', 'data-title': _('Last error') },
					r.error ? '%s (%s)'.format(r.error, when(r.failed)) : '-')
			]));
		});

		return table;
	},

	renderSections: function(results) {
		if (!results.length)
			return E('p', {}, _('No record sets are configured yet.'));

		return results.map(L.bind(function(result) {
			var sid = result.section;
			var enabled = uci.get('ddns_min', sid, 'enabled');
			var on = [ '1', 'on', 'true', 'yes', 'enabled' ].indexOf(String(enabled).toLowerCase()) >= 0;

			return E('div', { 'class': 'cbi-section', 'data-section': sid }, [
				E('h3', {}, [ sid, ' ', E('small', {}, on ? _('(enabled)') : _('(disabled)')) ]),
				this.renderRecords(result),
				E('div', { 'class': 'right' }, [
					E('button', {
						'class': 'btn cbi-button cbi-button-action',
						'title': _('Update this section now, with its saved settings'),
						'click': ui.createHandlerFn(this, 'updateNow', sid)
					}, _('Update now'))
				])
			]);
		}, this));
	},

	render: function(results) {
		poll.add(L.bind(this.refresh, this), 30);

		return E([], [
			E('h2', {}, _('Dynamic DNS (ddns_min)')),
			E('div', { 'class': 'cbi-map-descr' },
				_('The last update of each record set, from the state ddns_min keeps (no request is sent to read it). Log: logread -e ddns_min.')),
			E('div', { 'id': 'ddns_min_status' }, this.renderSections(results))
		]);
	},

	handleSave: null,
	handleSaveApply: null,
	handleReset: null
});
