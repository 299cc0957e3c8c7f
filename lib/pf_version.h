/*
 * pf_version: the toolkit's version, one for all tools.
 */
#ifndef PF_VERSION_H
#define PF_VERSION_H

#define PF_VERSION "0.1.0"

#endif
