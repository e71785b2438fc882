#pragma once
// The threaded-dispatch shims, generated from tools/isa.py. Nothing else lives in C.
#include "shims.generated.h"
