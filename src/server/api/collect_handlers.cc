// Placeholder: filled in by issue 4.
#include "server/api/api_server.h"
