# Stand-in for the OpenWrt SDK's include/rules.mk: just what openwrt/Makefile uses.
INCLUDE_DIR:=$(TOPDIR)
INSTALL_DIR:=install -d -m0755
INSTALL_BIN:=install -m0755
INSTALL_DATA:=install -m0644
INSTALL_CONF:=install -m0600
