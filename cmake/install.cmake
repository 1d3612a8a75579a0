# What `cmake --install` puts where (the Debian layout under any prefix), and
# the .deb that CPack makes of it: `cpack -G DEB` in the build folder.
include(GNUInstallDirs)

install(TARGETS prospect-import prospect-sandbox RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES man/prospect-import.1 man/prospect-sandbox.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# The places bash-completion, zsh and fish look for a package's completions.
install(FILES completions/prospect-import.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME prospect-import)
install(FILES completions/_prospect-import DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES completions/prospect-import.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/prospect-import)

set(CPACK_PACKAGE_NAME prospect-import)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "prospect-import maintainers <prospect-import@example.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "bulk-import prospects from a CSV file into an impact.com program")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "bulk-import prospects from a CSV file into an impact.com program
 prospect-import reads a CSV file in the columns of impact.com's prospect import
 template (UTF-8, Shift_JIS/CP932 or UTF-16; English or Japanese headers),
 checks every row the way the API will, sends the valid ones over the HTTP API
 and writes a report: success.csv, errors.csv (fix it and import it again) and
 summary.json. Interrupted imports resume from a journal; the exit codes are
 made for cron and CI.
 .
 prospect-sandbox, a local stand-in for the API on 127.0.0.1, is included for
 first tries and tests.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # the libraries' packages, from the binaries (dpkg-shlibdeps)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # prospect-import_VERSION_ARCH.deb
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
include(CPack)
