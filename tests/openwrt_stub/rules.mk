# Stand-in for the OpenWrt SDK's include/rules.mk: the variables openwrt/Makefile uses, with the
# SDK's values (install modes included: they are what the .ipk gets).
INCLUDE_DIR:=$(TOPDIR)
BUILD_DIR:=$(STAGING)/build
INSTALL_DIR:=install -d -m0755
INSTALL_BIN:=install -m0755
INSTALL_DATA:=install -m0644
INSTALL_CONF:=install -m0600
CP:=cp -fpR
STAGING_DIR:=$(STAGING)/staging_dir
