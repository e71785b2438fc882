;; The smallest WebAssembly component (binary version 0x0d, layer 1): swasm runs core modules only.
(component)
