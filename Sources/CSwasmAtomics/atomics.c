// The functions are inline, in include/CSwasmAtomics.h.
