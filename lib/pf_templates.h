/*
 * pf_templates: the files of share/pf/tutorial/ and share/pf/playwright/,
 * built into the library by
 * make (see the Makefile), so that an uninstalled pf-convert works.  Each
 * is a NUL-terminated string.
 */
#ifndef PF_TEMPLATES_H
#define PF_TEMPLATES_H

extern const char *const pf_tpl_tutorial_html;
extern const char *const pf_tpl_tutorial_css;
extern const char *const pf_tpl_tutorial_js;
extern const char *const pf_tpl_prelude_js;
extern const char *const pf_tpl_playwright_config_js;

#endif
