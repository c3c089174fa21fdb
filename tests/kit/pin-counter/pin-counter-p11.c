/* A PKCS#11 module for tests: forwards every call to SoftHSM, but counts wrong user PINs and
 * locks like a real USB token (SoftHSM only ever sets CKF_USER_PIN_COUNT_LOW and never locks).
 * Target module: $PIN_COUNTER_TARGET; tries before locking: $PIN_COUNTER_MAX_TRIES (default 3).
 * State is per process and per slot, which is all one test needs. Each user login that reaches
 * this module appends a line to $PIN_COUNTER_LOG (if set), so tests can tell a PIN was never sent. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pkcs11.h"

#define MAX_SLOTS 16

static CK_FUNCTION_LIST wrapped;
static CK_FUNCTION_LIST_PTR target;
static struct { CK_SLOT_ID slot; int used; int remaining; } counters[MAX_SLOTS];

static int max_tries(void) {
  const char *value = getenv("PIN_COUNTER_MAX_TRIES");
  int tries = value ? atoi(value) : 3;
  return tries > 0 ? tries : 3;
}

static int *remaining_for(CK_SLOT_ID slot) {
  for (int i = 0; i < MAX_SLOTS; i++)
    if (counters[i].used && counters[i].slot == slot) return &counters[i].remaining;
  for (int i = 0; i < MAX_SLOTS; i++)
    if (!counters[i].used) {
      counters[i].used = 1;
      counters[i].slot = slot;
      counters[i].remaining = max_tries();
      return &counters[i].remaining;
    }
  return NULL;
}

static CK_RV counted_login(CK_SESSION_HANDLE session, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len) {
  CK_SESSION_INFO info;
  CK_RV rv = target->C_GetSessionInfo(session, &info);
  if (rv != CKR_OK) return rv;
  int *remaining = remaining_for(info.slotID);
  if (user != CKU_USER || remaining == NULL) return target->C_Login(session, user, pin, pin_len);
  const char *log_path = getenv("PIN_COUNTER_LOG");
  if (log_path) {
    FILE *log = fopen(log_path, "a");
    if (log) {
      fputs("login\n", log);
      fclose(log);
    }
  }
  if (*remaining == 0) return CKR_PIN_LOCKED;
  rv = target->C_Login(session, user, pin, pin_len);
  if (rv == CKR_PIN_INCORRECT) (*remaining)--;
  else if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) *remaining = max_tries();
  return rv;
}

static CK_RV counted_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
  CK_RV rv = target->C_GetTokenInfo(slot, info);
  if (rv != CKR_OK) return rv;
  int *remaining = remaining_for(slot);
  info->flags &= ~(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED);
  if (remaining == NULL) return rv;
  if (*remaining == 0) info->flags |= CKF_USER_PIN_LOCKED;
  else if (*remaining == 1) info->flags |= CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_COUNT_LOW;
  else if (*remaining < max_tries()) info->flags |= CKF_USER_PIN_COUNT_LOW;
  return rv;
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
  if (list == NULL) return CKR_ARGUMENTS_BAD;
  if (target == NULL) {
    const char *path = getenv("PIN_COUNTER_TARGET");
    void *library = dlopen(path ? path : "/usr/lib/softhsm/libsofthsm2.so", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return CKR_GENERAL_ERROR;
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(library, "C_GetFunctionList");
    if (get == NULL || get(&target) != CKR_OK) return CKR_GENERAL_ERROR;
    memcpy(&wrapped, target, sizeof wrapped);
    wrapped.C_Login = counted_login;
    wrapped.C_GetTokenInfo = counted_token_info;
  }
  *list = &wrapped;
  return CKR_OK;
}
