// The shims are header-only (include/shims.generated.h): the Swift module imports and inlines them.
