/* Test harness only, never shipped: Debian's wine 8 has no bcryptprimitives.dll, from which
 * Rust's std on Windows imports ProcessPrng (its random source, e.g. for HashMap keys).
 * This stand-in forwards to advapi32's RtlGenRandom (SystemFunction036). Built by
 * scripts/test-windows.sh next to the exe in a temporary test folder. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
