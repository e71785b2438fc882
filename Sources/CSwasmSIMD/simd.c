// The operations are header-only (include/CSwasmSIMD.h): the Swift handler bodies import and inline them.
