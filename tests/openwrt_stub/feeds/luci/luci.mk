# Stand-in for the LuCI feed's luci.mk (feeds/luci/luci.mk in an SDK), for
# openwrt/luci-app-ddns-min/Makefile: the package is named after its folder, its fields come
# from the LUCI_* variables, and it installs htdocs/ into /www and root/ into / as luci.mk does
# (no minifying, no translations: the templates in po/ are not installed).
LUCI_NAME?=$(notdir $(CURDIR))
LUCI_SECTION?=luci
LUCI_CATEGORY?=LuCI
PKG_NAME?=$(LUCI_NAME)
PKG_RELEASE?=1

include $(INCLUDE_DIR)/package.mk

define Package/$(PKG_NAME)
  SECTION:=$(LUCI_SECTION)
  CATEGORY:=$(LUCI_CATEGORY)
  TITLE:=$(LUCI_TITLE)
  DEPENDS:=$(LUCI_DEPENDS)
  PKGARCH:=$(LUCI_PKGARCH)
  URL:=$(LUCI_URL)
  MAINTAINER:=$(LUCI_MAINTAINER)
endef

ifneq ($(LUCI_DESCRIPTION),)
define Package/$(PKG_NAME)/description
 $(LUCI_DESCRIPTION)
endef
endif

define Build/Prepare
	for d in htdocs root; do \
		if [ -d ./$$d ]; then mkdir -p $(PKG_BUILD_DIR)/$$d && $(CP) ./$$d/* $(PKG_BUILD_DIR)/$$d/; fi; \
	done
endef

define Build/Compile
endef

define Package/$(PKG_NAME)/install
	$(INSTALL_DIR) $(1)/www
	cp -pR $(PKG_BUILD_DIR)/htdocs/* $(1)/www/
	$(INSTALL_DIR) $(1)/
	cp -pR $(PKG_BUILD_DIR)/root/* $(1)/
endef

$(eval $(call BuildPackage,$(PKG_NAME)))
