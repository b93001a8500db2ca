// crow/crow.hpp - everything a plugin needs, in one include.
#pragma once

#include "crow/abi.h"
#include "crow/config.hpp"
#include "crow/context.hpp"
#include "crow/error.hpp"
#include "crow/hooks.hpp"
#include "crow/http.hpp"
#include "crow/log.hpp"
#include "crow/plugin.hpp"
#include "crow/schema.hpp"
#include "crow/store.hpp"
#include "crow/tokens.hpp"
