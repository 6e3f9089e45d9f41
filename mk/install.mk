# mk/install.mk: `make install` (included by the Makefile).
#
#   make install [PREFIX=/usr/local] [DESTDIR=]
#
# installs
#   $(PREFIX)/bin/zizhi                       the one binary (templates,
#                                             schema and static files are
#                                             compiled in)
#   $(PREFIX)/share/zizhi/static/             the same static files, for
#                                             nginx to serve from disk
#   $(PREFIX)/share/zizhi/schema.sql          the schema, for reference
#   $(PREFIX)/share/doc/zizhi/                deploy.md, architecture.md,
#                                             nginx/zizhi-site.conf, and
#                                             deploy/ (systemd units, cron
#                                             example, SMTP config example)
#
# Nothing is written outside $(DESTDIR)$(PREFIX): the data directory, the
# zizhi user and the units in /etc/systemd/system are set up by hand, as
# docs/deploy.md says.

INSTALL      ?= install
BINDIR       ?= $(PREFIX)/bin
SHAREDIR     ?= $(PREFIX)/share/zizhi
DOCDIR       ?= $(PREFIX)/share/doc/zizhi
INSTALL_DOCS := docs/deploy.md docs/architecture.md docs/performance.md \
                README.md
INSTALL_UNITS := $(wildcard deploy/*)

install: $(BUILD)/zizhi
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/static \
	    $(DESTDIR)$(DOCDIR)/nginx $(DESTDIR)$(DOCDIR)/deploy
	$(INSTALL) -m 0755 $(BUILD)/zizhi $(DESTDIR)$(BINDIR)/zizhi
	$(INSTALL) -m 0644 $(wildcard static/*) $(DESTDIR)$(SHAREDIR)/static/
	$(INSTALL) -m 0644 schema.sql $(DESTDIR)$(SHAREDIR)/schema.sql
	$(INSTALL) -m 0644 $(wildcard $(INSTALL_DOCS)) $(DESTDIR)$(DOCDIR)/
	$(INSTALL) -m 0644 docs/nginx/zizhi-site.conf $(DESTDIR)$(DOCDIR)/nginx/
	$(INSTALL) -m 0644 $(INSTALL_UNITS) $(DESTDIR)$(DOCDIR)/deploy/
	@echo "zizhi: installed into $(DESTDIR)$(PREFIX) (next: $(DOCDIR)/deploy.md)"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/zizhi
	rm -rf $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR)

.PHONY: install uninstall
