// The fast entry points. Types without a SIMD kernel yet use the reference.
#include "quant/dequant.h"

namespace gc {

void dequant_f32(const uint8_t * src, float * dst, int64_t n) { dequant_f32_ref(src, dst, n); }
void dequant_f16(const uint8_t * src, float * dst, int64_t n) { dequant_f16_ref(src, dst, n); }
void dequant_bf16(const uint8_t * src, float * dst, int64_t n) { dequant_bf16_ref(src, dst, n); }
void dequant_f64(const uint8_t * src, float * dst, int64_t n) { dequant_f64_ref(src, dst, n); }
void dequant_i8(const uint8_t * src, float * dst, int64_t n) { dequant_i8_ref(src, dst, n); }
void dequant_i16(const uint8_t * src, float * dst, int64_t n) { dequant_i16_ref(src, dst, n); }
void dequant_i32(const uint8_t * src, float * dst, int64_t n) { dequant_i32_ref(src, dst, n); }
void dequant_i64(const uint8_t * src, float * dst, int64_t n) { dequant_i64_ref(src, dst, n); }
void dequant_q4_0(const uint8_t * src, float * dst, int64_t n) { dequant_q4_0_ref(src, dst, n); }
void dequant_q8_0(const uint8_t * src, float * dst, int64_t n) { dequant_q8_0_ref(src, dst, n); }

} // namespace gc
