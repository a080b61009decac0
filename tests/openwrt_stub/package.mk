# Stand-in for the SDK's include/package.mk: `make stage STAGING=DIR` runs the package's install
# recipe into DIR and writes DIR/CONTROL/{control,conffiles} as the SDK would put into the .ipk.
define BuildPackage
$$(eval $$(Package/$(1)))
.PHONY: stage
stage:
	rm -rf "$(STAGING)" && mkdir -p "$(STAGING)/CONTROL"
	$$(call Package/$(1)/install,$(STAGING))
	printf 'Package: %s\nVersion: %s-%s\nDepends: %s\nArchitecture: %s\nSection: %s\nLicense: %s\nMaintainer: %s\n' \
		"$(1)" "$(PKG_VERSION)" "$(PKG_RELEASE)" "$$(DEPENDS)" "$$(PKGARCH)" "$$(SECTION)" \
		"$(PKG_LICENSE)" "$(PKG_MAINTAINER)" >"$(STAGING)/CONTROL/control"
	printf '%s\n' $$(strip $$(Package/$(1)/conffiles)) >"$(STAGING)/CONTROL/conffiles"
endef
