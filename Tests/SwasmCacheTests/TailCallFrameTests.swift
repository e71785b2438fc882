import SwasmBytecode
import SwasmCache
import SwasmTranslator
import WasmBinary
import WasmText
import XCTest

/// A tail call's frame holds the callee's results at the call's base, as a call's does: a host callee writes them
/// there. libFuzzer's `translate` target found `(func (result v128) (i32.const 1) (return_call 0))` translated with a
/// frame a slot short of that, which the verifier refused (and a host callee would have written past the frame).
final class TailCallFrameTests: XCTestCase {
  static let text = """
    (module
      (import "host" "vector" (func $vector (result v128)))
      (type $t (func (result v128)))
      (table 1 funcref)
      (elem declare func $self)
      (func $self (result v128) (i32.const 1) (return_call $self))
      (func (result v128) (i32.const 1) (return_call $vector))
      (func (result v128) (i32.const 1) (return_call_indirect (type $t) (i32.const 0)))
      (func (result v128) (i32.const 1) (return_call_ref $t (ref.func $self))))
    """

  func testEveryTailCallsFrameHoldsTheCalleesResults() throws {
    let module = try Module(bytes: try WAT.parse(Self.text))
    let translator = ModuleTranslator(module: module, validation: try module.validate())
    let verifier = BytecodeVerifier(module: module)
    for i in module.codes.indices {
      let function = try translator.translate(definedFunction: i)
      XCTAssertNoThrow(try verifier.verify(function, definedFunction: i), "function \(i)")
    }
  }
}
