# Stand-in for the SDK's include/package.mk. For each BuildPackage NAME, `make stage-NAME
# STAGING=DIR` runs Build/Prepare and Build/Compile, then the package's install recipe into
# DIR/NAME, and writes DIR/NAME/CONTROL/{control,conffiles} as the SDK would put into the .ipk.
# Like the SDK, it stops when a field the packages feed requires is missing, and it expands an
# install recipe as the SDK does (in the BuildPackage call: a shell variable there is $$$$v).
PKG_BUILD_DIR:=$(BUILD_DIR)/$(PKG_NAME)-$(PKG_VERSION)

# As the SDK's Package/Default: every package starts from these, not from the one before it.
define Package/Default
  TITLE:=
  DEPENDS:=
  CONFLICTS:=
  PROVIDES:=
endef

define BuildPackage
$$(eval $$(Package/Default))
$$(eval $$(Package/$(1)))
$$(foreach v,PKG_NAME PKG_VERSION PKG_RELEASE PKG_LICENSE PKG_MAINTAINER TITLE SECTION CATEGORY URL PKGARCH,$$(if $$($$(v)),,$$(error $(1): $$(v) is not set)))
$$(if $$(Package/$(1)/description),,$$(error $(1): no description))
.PHONY: stage-$(1)
stage-$(1): CONTROL_TEXT:=Package: $(1)|Version: $(PKG_VERSION)-$(PKG_RELEASE)|Depends: $$(DEPENDS)|Conflicts: $$(CONFLICTS)|Provides: $$(PROVIDES)|Architecture: $$(PKGARCH)|Section: $$(SECTION)|License: $(PKG_LICENSE)|Maintainer: $(PKG_MAINTAINER)
stage-$(1):
	rm -rf "$(STAGING)/$(1)" "$(PKG_BUILD_DIR)" && mkdir -p "$(STAGING)/$(1)/CONTROL"
	$$(Build/Prepare)
	$$(Build/Compile)
	$(call Package/$(1)/install,$(STAGING)/$(1))
	printf '%s\n' "$$(CONTROL_TEXT)" | tr '|' '\n' >"$(STAGING)/$(1)/CONTROL/control"
	printf '%s\n' $$(strip $$(Package/$(1)/conffiles)) >"$(STAGING)/$(1)/CONTROL/conffiles"
endef
