/* Wine 8 (Debian 12) has no bcryptprimitives.dll, whose ProcessPrng Go's
 * runtime needs on Windows. TestWindowsPlaceUnderWine builds this stand-in
 * into its own Wine prefix; it is never shipped. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	return BCryptGenRandom(NULL, data, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0;
}
