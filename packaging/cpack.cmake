# SPDX-License-Identifier: MIT
# CPack settings for every platform, included by packaging/CMakeLists.txt. The version is the CMake
# project version, nothing else. Per-generator file names are in cpack-options.cmake.in.

set(CPACK_PACKAGE_NAME "bullpen")
set(CPACK_PACKAGE_VENDOR "The Bullpen contributors")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${BULLPEN_MAINTAINER}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${BULLPEN_HOMEPAGE}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "desktop dashboard for Redis and BullMQ/Bull queues")
set(CPACK_PACKAGE_DESCRIPTION [=[
Bullpen is a fast native dashboard for Redis and for the job queues that
BullMQ and Bull keep in it: a queue board as a desktop program that also
browses keys, charts the server and watches pub/sub.

It is safe on a production server: read-only mode is enforced in the client
layer, it never sends KEYS or FLUSHALL/FLUSHDB, and every read is bounded.
TLS, ACL users and Unix sockets are supported.

The package also contains bullpen-cli, the same client without a window, for
scripts and terminals (table or JSON output, distinct exit codes).]=])
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Bullpen")
set(CPACK_PACKAGE_EXECUTABLES "bullpen" "Bullpen")   # Start menu shortcut (NSIS)
set(CPACK_RESOURCE_FILE_LICENSE "${CMAKE_CURRENT_SOURCE_DIR}/LICENSE.txt")
set(CPACK_STRIP_FILES ON)              # release packages ship stripped binaries (lintian: unstripped-binary)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_PROJECT_CONFIG_FILE "${CMAKE_CURRENT_BINARY_DIR}/cpack-options.cmake")
configure_file(cpack-options.cmake.in cpack-options.cmake @ONLY)

if(WIN32)
    set(CPACK_GENERATOR "NSIS;ZIP")
elseif(APPLE)
    set(CPACK_GENERATOR "DragNDrop")
else()
    set(CPACK_GENERATOR "DEB;TGZ")
endif()

# --- Debian ------------------------------------------------------------------------------------
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)               # bullpen_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "database")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded at run time, so dpkg-shlibdeps cannot see them: Qt's platform plugins (xcb, offscreen).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "redis-server, redis-tools")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# No maintainer scripts: dpkg triggers of desktop-file-utils, hicolor-icon-theme, man-db and
# appstream refresh their caches for the files we install.

# --- Archives (.tar.gz, .zip) -------------------------------------------------------------------
set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build/" "/node_modules/" "\\\\.swp$")

# --- Windows: NSIS installer (untested here: no Windows Qt on the build machines) ---------------
set(CPACK_NSIS_PACKAGE_NAME "Bullpen ${PROJECT_VERSION}")
set(CPACK_NSIS_DISPLAY_NAME "Bullpen")
set(CPACK_NSIS_MUI_ICON "${BULLPEN_ICONS}/bullpen.ico")
set(CPACK_NSIS_MUI_UNIICON "${BULLPEN_ICONS}/bullpen.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\bullpen.exe")
set(CPACK_NSIS_EXECUTABLES_DIRECTORY "bin")
set(CPACK_NSIS_MUI_FINISHPAGE_RUN "bullpen.exe")
set(CPACK_NSIS_URL_INFO_ABOUT "${BULLPEN_HOMEPAGE}")
set(CPACK_NSIS_HELP_LINK "${BULLPEN_HOMEPAGE}/issues")
set(CPACK_NSIS_CONTACT "${BULLPEN_MAINTAINER}")
set(CPACK_NSIS_MODIFY_PATH ON)                       # offer to put bin\ (bullpen-cli) on PATH
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MANIFEST_DPI_AWARE ON)
set(CPACK_CREATE_DESKTOP_LINKS "bullpen")

# --- macOS: DragNDrop .dmg (untested here; app/gui must build bullpen as a MACOSX_BUNDLE) -------
set(CPACK_DMG_VOLUME_NAME "Bullpen ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT "UDZO")
set(CPACK_BUNDLE_NAME "Bullpen")
if(APPLE)
    set(CPACK_PACKAGE_ICON "${BULLPEN_ICONS}/bullpen.icns")   # volume icon; NSIS wants a .bmp here
endif()

include(CPack)
